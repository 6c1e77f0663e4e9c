//! The small JSON bodies of 404, 405, 413 (and 400, 500), instead of actix's empty ones.

use actix_web::http::header::ALLOW;
use actix_web::http::{Method, StatusCode};
use actix_web::HttpResponse;
use serde::Serialize;

/// `{"status":<code>,"error":"<message>"}`
#[derive(Serialize)]
struct ErrorBody {
    status: u16,
    error: &'static str,
}

pub fn json_error(status: StatusCode, error: &'static str) -> HttpResponse {
    HttpResponse::build(status).json(ErrorBody {
        status: status.as_u16(),
        error,
    })
}

/// Default service of the app: any path that matches no route.
pub async fn not_found() -> HttpResponse {
    json_error(StatusCode::NOT_FOUND, "not found")
}

/// Default service of a resource: the path exists but not with this method; `allow` is the one
/// it accepts.
pub async fn method_not_allowed(allow: Method) -> HttpResponse {
    let mut res = json_error(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
    if let Ok(value) = allow.as_str().parse() {
        res.headers_mut().insert(ALLOW, value);
    }
    res
}
