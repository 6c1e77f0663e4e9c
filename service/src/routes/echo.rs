//! `POST /echo`: returns the request body byte for byte, with the request's content type.
//! This is the backend the API gateway calls for `POST /v1/echo`.

use actix_web::error::PayloadError;
use actix_web::http::header::{HeaderValue, CONTENT_TYPE};
use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};

use super::json_error;
use crate::state::AppState;

/// The body comes whole, up to the app's `web::PayloadConfig` limit (`server.max_body_bytes`);
/// a larger one is an `Overflow` error, answered with 413.
pub async fn echo(
    req: HttpRequest,
    body: Result<Bytes, actix_web::Error>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let body = match body {
        Ok(body) => body,
        Err(e) => {
            return match e.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => {
                    json_error(StatusCode::PAYLOAD_TOO_LARGE, "request body too large")
                }
                _ => {
                    log::debug!("echo: request body failed: {e}");
                    json_error(StatusCode::BAD_REQUEST, "incomplete request body")
                }
            }
        }
    };

    state.metrics.echo_requests.inc();
    state.metrics.echo_payload.observe(body.len() as f64);
    if state.log_bodies {
        log::info!(
            target: "prototype_service::echo",
            bytes = body.len();
            "echo body: {}",
            String::from_utf8_lossy(&body)
        );
    }

    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("application/octet-stream"));
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, content_type))
        .body(body)
}
