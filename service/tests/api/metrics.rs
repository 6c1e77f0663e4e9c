use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::{sample, spawn_app};

#[tokio::test]
async fn metrics_use_the_prometheus_text_content_type() {
    let app = spawn_app().await;

    let res = app.get("/metrics").await;

    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
}

#[tokio::test]
async fn metrics_count_requests_by_method_route_and_status() {
    // Arrange
    let app = spawn_app().await;

    // Act
    app.post("/echo", "Hola mundo").await;
    app.post("/echo", vec![7u8; 300]).await;
    app.get("/health").await;
    app.get("/echo").await;
    let metrics = app.scrape().await;

    // Assert
    let count = |series: &str| {
        sample(&metrics, series).unwrap_or_else(|| panic!("{series} missing in:\n{metrics}"))
    };
    assert_eq!(
        count(r#"http_requests_total{method="POST",route="/echo",status="200"}"#),
        2.0
    );
    assert_eq!(
        count(r#"http_requests_total{method="GET",route="/health",status="200"}"#),
        1.0
    );
    assert_eq!(
        count(r#"http_requests_total{method="GET",route="/echo",status="405"}"#),
        1.0
    );
    assert_eq!(
        count(r#"http_request_duration_seconds_count{method="POST",route="/echo"}"#),
        2.0
    );
    assert_eq!(count("prototype_service_echo_requests_total"), 2.0);
    assert_eq!(
        count("prototype_service_echo_payload_size_bytes_sum"),
        310.0
    );
    assert_eq!(
        count(r#"prototype_service_echo_payload_size_bytes_bucket{le="16"}"#),
        1.0
    );
    assert_eq!(
        count(r#"prototype_service_echo_payload_size_bytes_bucket{le="256"}"#),
        1.0
    );
    assert_eq!(
        count(r#"prototype_service_echo_payload_size_bytes_bucket{le="1024"}"#),
        2.0
    );
}

#[tokio::test]
async fn unmatched_paths_collapse_into_one_route_label() {
    let app = spawn_app().await;

    for path in ["/a", "/b/c", "/wp-login.php", "/.env", "/echo/extra"] {
        app.get(path).await;
    }
    let metrics = app.scrape().await;

    let series: Vec<&str> = metrics
        .lines()
        .filter(|l| l.starts_with("http_requests_total{") && l.contains("status=\"404\""))
        .collect();
    assert_eq!(
        series,
        vec![r#"http_requests_total{method="GET",route="unmatched",status="404"} 5"#]
    );
}

#[tokio::test]
async fn unusual_methods_share_one_label() {
    let app = spawn_app().await;

    for method in ["PROPFIND", "BREW", "PROPFIND"] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        app.client
            .request(method, app.url("/health"))
            .send()
            .await
            .unwrap();
    }
    let metrics = app.scrape().await;

    let series: Vec<&str> = metrics
        .lines()
        .filter(|l| l.starts_with("http_requests_total{") && l.contains("status=\"405\""))
        .collect();
    assert_eq!(
        series,
        vec![r#"http_requests_total{method="OTHER",route="/health",status="405"} 3"#]
    );
}

#[tokio::test]
async fn process_and_build_info_metrics_are_exposed() {
    let app = spawn_app().await;

    let metrics = app.scrape().await;

    for name in [
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
        "process_open_fds",
        "process_start_time_seconds",
    ] {
        assert!(
            sample(&metrics, name).is_some(),
            "{name} missing in:\n{metrics}"
        );
    }
    let build_info = format!(
        r#"prototype_service_build_info{{version="{}"}}"#,
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(sample(&metrics, &build_info), Some(1.0), "{metrics}");
}

/// `promtool check metrics` must have no findings on a scrape taken after traffic on every route.
/// The promtool is `$PROMTOOL` (`make test-service` passes the project's pinned one), else the
/// one on PATH. Missing promtool is a failure, not a skip.
#[tokio::test]
async fn scraped_metrics_pass_promtool_check_metrics() {
    // Arrange
    let app = spawn_app().await;
    app.post("/echo", "Hola mundo").await;
    app.get("/health").await;
    app.get("/ready").await;
    app.get("/nowhere").await;
    app.get("/echo").await;
    let metrics = app.scrape().await;
    // promtool accepts an empty input: make sure there is something to check.
    for family in [
        "http_requests_total",
        "http_request_duration_seconds",
        "prototype_service_echo_requests_total",
        "prototype_service_echo_payload_size_bytes",
        "prototype_service_build_info",
        "process_cpu_seconds_total",
    ] {
        assert!(
            metrics.contains(&format!("# TYPE {family} ")),
            "{family} missing"
        );
    }

    // Act
    let promtool = std::env::var("PROMTOOL")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "promtool".into());
    let child = Command::new(&promtool)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => panic!(
            "cannot run {promtool} ({e}): set PROMTOOL to a promtool of Prometheus 3 \
             (`make tools` builds the pinned one) or put promtool on PATH"
        ),
    };
    child
        .stdin
        .take()
        .expect("promtool stdin")
        .write_all(metrics.as_bytes())
        .expect("write metrics to promtool");
    let out = child.wait_with_output().expect("promtool finishes");

    // Assert
    let findings = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && findings.trim().is_empty(),
        "promtool: {findings}\n{metrics}"
    );
}
