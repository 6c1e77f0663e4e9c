//! `GET /health`: liveness. Touches no shared state, so load cannot block it.

use actix_web::http::header::{HeaderValue, CONTENT_TYPE};
use actix_web::HttpResponse;

pub async fn health() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, HeaderValue::from_static(super::JSON)))
        .body(r#"{"status":"UP"}"#)
}
