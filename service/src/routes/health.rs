//! `GET /health`: liveness. Touches no shared state, so load cannot block it.

use std::sync::LazyLock;

use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::HttpResponse;

static UP: LazyLock<Bytes> = LazyLock::new(|| super::probe_body("UP"));

pub async fn health() -> HttpResponse {
    super::probe(StatusCode::OK, &UP)
}
