//! `GET /ready`: readiness. 200 while serving, 503 once shutdown has begun, so Consul and Nomad
//! stop sending traffic before the process goes away.

use std::sync::LazyLock;

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;

use crate::state::AppState;

static OUT_OF_SERVICE: LazyLock<Bytes> = LazyLock::new(|| super::probe_body("OUT_OF_SERVICE"));

pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    if state.is_ready() {
        super::probe(StatusCode::OK, &super::UP)
    } else {
        super::probe(StatusCode::SERVICE_UNAVAILABLE, &OUT_OF_SERVICE)
    }
}
