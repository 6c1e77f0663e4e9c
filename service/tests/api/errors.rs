//! Bad requests get a status and a small JSON body, never a panic or a dropped connection.

use crate::helpers::{connect, read_response, send, spawn_app, spawn_app_with, test_settings};

#[tokio::test]
async fn unknown_path_is_404_json() {
    let app = spawn_app().await;

    let res = app.get("/wp-login.php").await;

    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-type"], "application/json");
    assert_eq!(
        res.text().await.unwrap(),
        r#"{"status":404,"error":"not found"}"#
    );
}

#[tokio::test]
async fn wrong_method_is_405_json_with_allow() {
    let app = spawn_app().await;

    for (method, path, allow) in [
        (reqwest::Method::GET, "/echo", "POST"),
        (reqwest::Method::POST, "/health", "GET"),
        (reqwest::Method::DELETE, "/metrics", "GET"),
        (reqwest::Method::PUT, "/ready", "GET"),
    ] {
        let res = app
            .client
            .request(method.clone(), app.url(path))
            .send()
            .await
            .unwrap();

        assert_eq!(res.status(), 405, "{method} {path}");
        assert_eq!(res.headers()["allow"], allow, "{method} {path}");
        assert_eq!(res.headers()["content-type"], "application/json");
        assert_eq!(
            res.text().await.unwrap(),
            r#"{"status":405,"error":"method not allowed"}"#
        );
    }
}

#[tokio::test]
async fn body_over_the_limit_is_413_json_and_the_server_keeps_serving() {
    let mut settings = test_settings();
    settings.server.max_body_bytes = 1000;
    let app = spawn_app_with(settings).await;

    let res = app.post("/echo", vec![b'a'; 1001]).await;

    assert_eq!(res.status(), 413);
    assert_eq!(res.headers()["content-type"], "application/json");
    assert_eq!(
        res.text().await.unwrap(),
        r#"{"status":413,"error":"request body too large"}"#
    );
    assert_eq!(app.get("/health").await.status(), 200);
}

#[tokio::test]
async fn chunked_body_over_the_limit_is_413_without_a_dropped_connection() {
    let mut settings = test_settings();
    settings.server.max_body_bytes = 8;
    let app = spawn_app_with(settings).await;
    let mut conn = connect(app.port).await;

    send(
        &mut conn,
        b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHola \r\n5\r\nmundo\r\n0\r\n\r\n",
    )
    .await;
    let res = read_response(&mut conn).await;

    assert_eq!(res.status, 413);
    assert_eq!(
        res.body,
        br#"{"status":413,"error":"request body too large"}"#
    );
}

#[tokio::test]
async fn large_declared_body_gets_its_413_response() {
    // Content-Length over the limit is refused before the body is buffered; the client still
    // receives the answer rather than a reset.
    let mut settings = test_settings();
    settings.server.max_body_bytes = 1024;
    let app = spawn_app_with(settings).await;

    let res = app.post("/echo", vec![b'x'; 2 * 1024 * 1024]).await;

    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().contains("too large"));
}
