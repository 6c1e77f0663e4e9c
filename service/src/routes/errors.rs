//! The small JSON bodies of 404, 405 and 413 (and 500), instead of actix's empty ones.

use actix_web::http::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

/// `{"status":<code>,"error":"<message>"}`; `message` must not need JSON escaping.
pub fn json_error(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CONTENT_TYPE, HeaderValue::from_static(super::JSON)))
        .body(format!(
            r#"{{"status":{},"error":"{message}"}}"#,
            status.as_u16()
        ))
}

/// Default service of the app: any path that matches no route.
pub async fn not_found() -> HttpResponse {
    json_error(StatusCode::NOT_FOUND, "not found")
}

/// Default service of a resource: the path exists but not with this method.
/// `allow` lists the methods the resource accepts, for the `Allow` header.
pub fn method_not_allowed(allow: &'static str) -> HttpResponse {
    let mut res = json_error(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
    res.headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    res
}
