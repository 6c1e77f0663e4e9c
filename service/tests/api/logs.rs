//! Log lines of the real binary: JSON shape, access-log fields, body logging, RUST_LOG.

use serde_json::Value;

use crate::helpers::{spawn_binary, ChildApp};

const SIGTERM: i32 = libc::SIGTERM;

async fn post_echo(app: &ChildApp, body: &str, request_id: &str) {
    let res = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{}/echo", app.port))
        .header("x-request-id", request_id)
        .header("content-type", "text/plain")
        .body(body.to_string())
        .send()
        .await
        .expect("POST /echo");
    assert_eq!(res.status(), 200);
}

/// Stops the binary with SIGTERM and returns its stdout lines, each parsed as JSON.
async fn stop_and_parse(app: ChildApp) -> Vec<Value> {
    app.signal(SIGTERM);
    let (status, lines) = app.wait().await;
    assert!(status.success(), "exit status {status:?}");
    lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn access_lines(lines: &[Value]) -> Vec<&Value> {
    lines
        .iter()
        .filter(|l| l["target"] == "prototype_service::access")
        .collect()
}

fn is_rfc3339_utc(s: &str) -> bool {
    // 2026-11-24T20:34:17.499123Z
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && s.ends_with('Z')
        && s[..4].bytes().all(|c| c.is_ascii_digit())
}

#[tokio::test]
async fn json_lines_have_the_fields_elasticsearch_indexes() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_binary(dir.path(), &[]).await;

    // Act
    post_echo(&app, "Hola mundo", "log-shape-1").await;
    let lines = stop_and_parse(app).await;

    // Assert: every line is one object with the common fields.
    assert!(lines.len() >= 3, "{lines:?}");
    for line in &lines {
        let ts = line["timestamp"].as_str().unwrap_or_default();
        assert!(is_rfc3339_utc(ts), "timestamp {ts:?} in {line}");
        assert!(
            ["ERROR", "WARN", "INFO", "DEBUG", "TRACE"]
                .contains(&line["level"].as_str().unwrap_or_default()),
            "{line}"
        );
        assert!(line["target"].is_string(), "{line}");
        assert!(line["message"].is_string(), "{line}");
    }
    // ...and the access line carries the request's fields as typed values.
    let access = access_lines(&lines);
    assert_eq!(access.len(), 1, "{access:?}");
    let line = access[0];
    assert_eq!(line["method"], "POST");
    assert_eq!(line["path"], "/echo");
    assert_eq!(line["status"], 200);
    assert_eq!(line["bytes"], 10);
    assert_eq!(line["request_id"], "log-shape-1");
    assert!(
        line["duration_ms"].as_f64().is_some_and(|d| d >= 0.0),
        "{line}"
    );
    assert_eq!(line["level"], "INFO");
    // The start line says where it listens and what it loaded.
    let start = lines
        .iter()
        .filter_map(|l| l["message"].as_str())
        .find(|m| m.contains("listening on"))
        .expect("a start line");
    assert!(start.contains("listening on http://127.0.0.1:"), "{start}");
    assert!(start.contains("profiles: none"), "{start}");
    assert!(start.contains("APP_SERVER__PORT"), "{start}");
}

#[tokio::test]
async fn echo_bodies_are_not_logged_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_binary(dir.path(), &[]).await;

    post_echo(&app, "private-payload-123", "no-body-log").await;
    let lines = stop_and_parse(app).await;

    let text = serde_json::to_string(&lines).unwrap();
    assert!(!text.contains("private-payload-123"), "{text}");
}

#[tokio::test]
async fn echo_bodies_are_logged_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_binary(dir.path(), &[("APP_LOGGING__LOG_BODIES", "true")]).await;

    post_echo(&app, "say \"hi\"\n", "body-log").await;
    let lines = stop_and_parse(app).await;

    let body_line = lines
        .iter()
        .find(|l| l["target"] == "prototype_service::echo")
        .unwrap_or_else(|| panic!("no echo body line in {lines:?}"));
    assert_eq!(body_line["message"], "echo body: say \"hi\"\n");
    assert_eq!(body_line["bytes"], 9);
}

#[tokio::test]
async fn access_log_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_binary(dir.path(), &[("APP_LOGGING__ACCESS_LOG", "false")]).await;

    post_echo(&app, "x", "off").await;
    let lines = stop_and_parse(app).await;

    assert!(access_lines(&lines).is_empty(), "{lines:?}");
}

#[tokio::test]
async fn rust_log_overrides_the_configured_level() {
    // Configured "warn" would hide the info start line that spawn_binary waits for; RUST_LOG
    // raises it back to info everywhere except the access log.
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_binary(
        dir.path(),
        &[
            ("APP_LOGGING__LEVEL", "warn"),
            ("RUST_LOG", "info,prototype_service::access=off"),
        ],
    )
    .await;

    post_echo(&app, "x", "rust-log").await;
    let lines = stop_and_parse(app).await;

    assert!(access_lines(&lines).is_empty(), "{lines:?}");
    assert!(lines.iter().any(|l| l["level"] == "INFO"));
}

#[tokio::test]
async fn text_format_lines_carry_the_access_fields() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_binary(dir.path(), &[("APP_LOGGING__FORMAT", "text")]).await;

    post_echo(&app, "Hola", "text-1").await;
    app.signal(SIGTERM);
    let (status, lines) = app.wait().await;

    assert!(status.success());
    let access = lines
        .iter()
        .find(|l| l.contains("prototype_service::access"))
        .unwrap_or_else(|| panic!("no access line in {lines:?}"));
    for part in [
        "POST /echo 200",
        "status=200",
        "bytes=4",
        "request_id=text-1",
    ] {
        assert!(access.contains(part), "{part:?} missing from {access}");
    }
}
