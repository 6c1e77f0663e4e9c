//! `POST /echo`: returns the request body byte for byte, with the request's content type.
//! This is the backend the API gateway calls for `POST /v1/echo`.

use std::future::poll_fn;
use std::pin::Pin;

use actix_web::http::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes, BytesMut};
use actix_web::{HttpRequest, HttpResponse};
use futures_core::Stream;

use super::errors::json_error;
use crate::state::AppState;

/// After the limit is passed, the rest of an oversized body is still read (and dropped) up to
/// this many bytes, so that an ordinary client receives its 413 instead of a reset connection.
const DRAIN_LIMIT: usize = 8 * 1024 * 1024;

pub async fn echo(
    req: HttpRequest,
    mut payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let limit = state.max_body_bytes;
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return too_large(&mut payload, 0, limit).await;
    }

    // A body that arrives in one chunk is returned as is, without a copy.
    let mut first: Option<Bytes> = None;
    let mut joined: Option<BytesMut> = None;
    let mut total = 0usize;
    while let Some(chunk) = next_chunk(&mut payload).await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(e) => {
                log::debug!("echo: request body failed: {e}");
                return json_error(StatusCode::BAD_REQUEST, "incomplete request body");
            }
        };
        total += chunk.len();
        if total > limit {
            return too_large(&mut payload, total, limit).await;
        }
        match (&mut joined, first.take()) {
            (Some(buf), _) => buf.extend_from_slice(&chunk),
            (None, None) => first = Some(chunk),
            (None, Some(head)) => {
                let mut buf = BytesMut::with_capacity(declared.unwrap_or(total).max(total));
                buf.extend_from_slice(&head);
                buf.extend_from_slice(&chunk);
                joined = Some(buf);
            }
        }
    }
    let body = match joined {
        Some(buf) => buf.freeze(),
        None => first.unwrap_or_default(),
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

async fn next_chunk(
    payload: &mut web::Payload,
) -> Option<Result<Bytes, actix_web::error::PayloadError>> {
    poll_fn(|cx| Pin::new(&mut *payload).poll_next(cx)).await
}

/// 413, after reading (and dropping) what remains of the body, up to [`DRAIN_LIMIT`].
async fn too_large(payload: &mut web::Payload, mut read: usize, limit: usize) -> HttpResponse {
    while read <= limit.saturating_add(DRAIN_LIMIT) {
        match next_chunk(payload).await {
            Some(Ok(chunk)) => read += chunk.len(),
            _ => break,
        }
    }
    let mut res = json_error(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
    if let Ok(v) = HeaderValue::from_str(&limit.to_string()) {
        res.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("x-max-body-bytes"),
            v,
        );
    }
    res
}
