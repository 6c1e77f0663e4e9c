use crate::helpers::spawn_app;

#[tokio::test]
async fn a_request_id_is_generated_when_the_client_sends_none() {
    let app = spawn_app().await;

    let first = app.get("/health").await;
    let second = app.get("/health").await;

    let a = first.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let b = second.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(a.len(), 32, "{a}");
    assert!(a.bytes().all(|c| c.is_ascii_hexdigit()), "{a}");
    assert_ne!(a, b);
}

#[tokio::test]
async fn the_client_request_id_is_echoed_on_every_kind_of_response() {
    let app = spawn_app().await;

    for (method, path) in [
        (reqwest::Method::GET, "/health"),
        (reqwest::Method::POST, "/echo"),
        (reqwest::Method::GET, "/nowhere"),
        (reqwest::Method::GET, "/echo"),
    ] {
        let res = app
            .client
            .request(method.clone(), app.url(path))
            .header("x-request-id", "trace-42.abc")
            .send()
            .await
            .unwrap();

        assert_eq!(
            res.headers()["x-request-id"],
            "trace-42.abc",
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn an_unusable_client_request_id_is_replaced() {
    let app = spawn_app().await;
    let too_long = "a".repeat(129);

    for bad in ["has space", too_long.as_str()] {
        let res = app
            .client
            .get(app.url("/health"))
            .header("x-request-id", bad)
            .send()
            .await
            .unwrap();

        let id = res.headers()["x-request-id"].to_str().unwrap();
        assert_ne!(id, bad);
        assert_eq!(id.len(), 32);
    }
}
