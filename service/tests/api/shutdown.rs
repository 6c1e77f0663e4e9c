//! Graceful shutdown of the real binary under a real signal, with requests in flight.

use std::time::{Duration, Instant};

use crate::helpers::{connect, read_response, send, spawn_binary};

const IN_FLIGHT: usize = 4;

/// Starts requests that stay in flight until the rest of their body is sent.
async fn start_uploads(port: u16) -> Vec<tokio::net::TcpStream> {
    let mut conns = Vec::new();
    for i in 0..IN_FLIGHT {
        let mut conn = connect(port).await;
        // A first, complete request proves that a worker has accepted the connection.
        send(&mut conn, b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n").await;
        assert_eq!(read_response(&mut conn).await.status, 200);
        let head = format!(
            "POST /echo HTTP/1.1\r\nHost: t\r\nX-Request-Id: inflight-{i}\r\nContent-Length: 10\r\n\r\nHola "
        );
        send(&mut conn, head.as_bytes()).await;
        conns.push(conn);
    }
    // Let the server read the heads and enter the handler.
    tokio::time::sleep(Duration::from_millis(200)).await;
    conns
}

#[tokio::test]
async fn sigterm_flips_readiness_drains_in_flight_requests_and_exits_0() {
    // Arrange: requests in flight; a shutdown delay so readiness can be seen from outside.
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_binary(dir.path(), &[("APP_SERVER__SHUTDOWN_DELAY_MS", "1000")]).await;
    let mut uploads = start_uploads(app.port).await;

    // Act: SIGTERM, readiness on a new connection, then finish the uploads.
    app.signal(libc::SIGTERM);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut probe = connect(app.port).await;
    send(&mut probe, b"GET /ready HTTP/1.1\r\nHost: t\r\n\r\n").await;
    let ready = read_response(&mut probe).await;
    for conn in &mut uploads {
        send(conn, b"mundo").await;
    }
    let mut answers = Vec::new();
    for conn in &mut uploads {
        answers.push(read_response(conn).await);
    }
    let waited = Instant::now();
    let (status, lines) = app.wait().await;

    // Assert
    assert_eq!(ready.status, 503);
    assert_eq!(ready.body, br#"{"status":"OUT_OF_SERVICE"}"#);
    assert_eq!(
        ready.headers.get("connection").map(String::as_str),
        Some("close")
    );
    for answer in &answers {
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body, b"Hola mundo");
        assert_eq!(
            answer.headers.get("connection").map(String::as_str),
            Some("close")
        );
    }
    assert!(status.success(), "exit status {status:?}");
    assert!(
        waited.elapsed() < Duration::from_secs(3),
        "exit took {:?} after the last response",
        waited.elapsed()
    );
    let log = lines.join("\n");
    assert!(log.contains("received SIGTERM"), "{log}");
    // Nothing buffered is lost on a clean exit: every request has its access line.
    for i in 0..IN_FLIGHT {
        assert!(
            log.contains(&format!("\"request_id\":\"inflight-{i}\"")),
            "inflight-{i} not logged:\n{log}"
        );
    }
}

#[tokio::test]
async fn idle_keep_alive_connections_do_not_hold_up_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_binary(dir.path(), &[]).await;
    let mut idle = connect(app.port).await;
    send(&mut idle, b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n").await;
    assert_eq!(read_response(&mut idle).await.status, 200);

    let signalled = Instant::now();
    app.signal(libc::SIGTERM);
    let (status, _) = app.wait().await;

    assert!(status.success(), "exit status {status:?}");
    assert!(
        signalled.elapsed() < Duration::from_secs(2),
        "shutdown waited {:?} for an idle connection",
        signalled.elapsed()
    );
}

#[tokio::test]
async fn sigint_is_graceful_too() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_binary(dir.path(), &[]).await;
    let mut uploads = start_uploads(app.port).await;

    app.signal(libc::SIGINT);
    tokio::time::sleep(Duration::from_millis(200)).await;
    for conn in &mut uploads {
        send(conn, b"mundo").await;
    }
    let mut statuses = Vec::new();
    for conn in &mut uploads {
        statuses.push(read_response(conn).await.status);
    }
    let (status, lines) = app.wait().await;

    assert_eq!(statuses, vec![200; IN_FLIGHT]);
    assert!(status.success(), "exit status {status:?}");
    assert!(lines.join("\n").contains("received SIGINT"));
}

#[tokio::test]
async fn no_new_connections_are_served_after_sigterm() {
    // Arrange: keep the server busy draining one upload so it is still alive.
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_binary(dir.path(), &[]).await;
    let port = app.port;
    let mut uploads = start_uploads(port).await;

    // Act
    app.signal(libc::SIGTERM);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let late = tokio::time::timeout(Duration::from_secs(2), async {
        let mut conn = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .ok()?;
        send(&mut conn, b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n").await;
        let mut buf = [0u8; 64];
        use tokio::io::AsyncReadExt;
        match conn.read(&mut buf).await {
            Ok(n) if n > 0 => Some(String::from_utf8_lossy(&buf[..n]).to_string()),
            _ => None,
        }
    })
    .await;
    for conn in &mut uploads {
        send(conn, b"mundo").await;
        assert_eq!(read_response(conn).await.status, 200);
    }
    let (status, _) = app.wait().await;

    // Assert: the late request got no answer (refused, reset, or left unanswered).
    assert!(
        !matches!(late, Ok(Some(ref text)) if text.starts_with("HTTP/1.1 200")),
        "a connection opened after SIGTERM was served: {late:?}"
    );
    assert!(status.success());
}
