use crate::helpers::spawn_app;

#[tokio::test]
async fn health_answers_200_with_status_up_json() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let res = app.get("/health").await;

    // Assert
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    assert_eq!(res.text().await.unwrap(), r#"{"status":"UP"}"#);
}

#[tokio::test]
async fn ready_answers_200_while_serving() {
    let app = spawn_app().await;

    let res = app.get("/ready").await;

    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    assert_eq!(res.text().await.unwrap(), r#"{"status":"UP"}"#);
}

#[tokio::test]
async fn health_answers_while_slow_uploads_hold_the_only_worker() {
    // Arrange: one worker, busy with uploads that never finish.
    let app = spawn_app().await;
    let mut stalled = Vec::new();
    for _ in 0..8 {
        let mut conn = crate::helpers::connect(app.port).await;
        crate::helpers::send(
            &mut conn,
            b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\npartial",
        )
        .await;
        stalled.push(conn);
    }

    // Act
    let started = std::time::Instant::now();
    let res = app.get("/health").await;

    // Assert
    assert_eq!(res.status(), 200);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "health took {:?}",
        started.elapsed()
    );
}
