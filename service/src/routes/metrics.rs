//! `GET /metrics`: the service's registry in the Prometheus text format.

use actix_web::http::header::{HeaderValue, CONTENT_TYPE};
use actix_web::{web, HttpResponse};

use crate::state::AppState;
use crate::telemetry::metrics::CONTENT_TYPE as PROMETHEUS_TEXT;

pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    match state.metrics.encode() {
        Ok(body) => HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, HeaderValue::from_static(PROMETHEUS_TEXT)))
            .body(body),
        Err(e) => {
            log::error!("cannot encode metrics: {e}");
            super::errors::json_error(
                actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
                "cannot encode metrics",
            )
        }
    }
}
