use crate::helpers::{connect, read_response, send, spawn_app, spawn_app_with, test_settings};

#[tokio::test]
async fn echo_returns_the_body_with_its_content_type() {
    let app = spawn_app().await;

    let res = app
        .client
        .post(app.url("/echo"))
        .header("content-type", "text/plain; charset=utf-8")
        .body("Hola mundo")
        .send()
        .await
        .unwrap();

    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(res.text().await.unwrap(), "Hola mundo");
}

#[tokio::test]
async fn echo_returns_binary_bodies_byte_for_byte() {
    let app = spawn_app().await;
    let body: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();

    let res = app
        .client
        .post(app.url("/echo"))
        .header("content-type", "application/octet-stream")
        .body(body.clone())
        .send()
        .await
        .unwrap();

    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/octet-stream");
    assert_eq!(res.bytes().await.unwrap().as_ref(), body.as_slice());
}

#[tokio::test]
async fn echo_without_content_type_answers_octet_stream() {
    let app = spawn_app().await;

    let res = app.post("/echo", vec![0xffu8, 0x00, 0x80]).await;

    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/octet-stream");
    assert_eq!(res.bytes().await.unwrap().as_ref(), &[0xff, 0x00, 0x80]);
}

#[tokio::test]
async fn echo_of_an_empty_body_is_empty() {
    let app = spawn_app().await;

    let res = app.post("/echo", Vec::<u8>::new()).await;

    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn echo_joins_a_chunked_upload() {
    let app = spawn_app().await;
    let mut conn = connect(app.port).await;

    send(
        &mut conn,
        b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHola \r\n",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    send(&mut conn, b"5\r\nmundo\r\n0\r\n\r\n").await;
    let res = read_response(&mut conn).await;

    assert_eq!(res.status, 200);
    assert_eq!(res.body, b"Hola mundo");
}

#[tokio::test]
async fn echo_accepts_a_body_of_exactly_the_limit() {
    let mut settings = test_settings();
    settings.server.max_body_bytes = 1000;
    let app = spawn_app_with(settings).await;

    let res = app.post("/echo", vec![b'a'; 1000]).await;

    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().len(), 1000);
}
