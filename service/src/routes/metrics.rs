//! `GET /metrics`: the service's registry in the Prometheus text format.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::json_error;
use crate::state::AppState;
use crate::telemetry::metrics::CONTENT_TYPE;

pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    match state.metrics.encode() {
        Ok(body) => HttpResponse::Ok().content_type(CONTENT_TYPE).body(body),
        Err(e) => {
            log::error!("cannot encode metrics: {e}");
            json_error(StatusCode::INTERNAL_SERVER_ERROR, "cannot encode metrics")
        }
    }
}
