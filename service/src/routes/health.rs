//! `GET /health`: liveness. Touches no shared state, so load cannot block it.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;

pub async fn health() -> HttpResponse {
    super::probe(StatusCode::OK, &super::UP)
}
