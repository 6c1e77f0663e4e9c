//! One middleware around every route: request id, HTTP metrics and the access log.
//!
//! It sits on the hot path of every request, so it avoids work it can: metric handles are
//! looked up once per (route, method, status) and per worker, then kept; the route label comes
//! from the resource name (no `String` per request); request ids come from a counter; the
//! access-log line is formatted by env_logger into its reusable buffer and written in batches.

use std::cell::RefCell;
use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Instant;

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{Error, HttpRequest};
use prometheus::{Histogram, IntCounter};

use crate::routes::{ROUTES, UNMATCHED_ROUTE};
use crate::state::{AccessLog, AppState};
use crate::telemetry::logging::{write_access_json, AccessLine};
use crate::telemetry::ACCESS_TARGET;

/// The request id header, read from the request when present and set on every response.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Longest request id accepted from a client; longer or odd ones are replaced.
const MAX_REQUEST_ID_LEN: usize = 128;

const METHODS: [&str; 10] = [
    "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE", "OTHER",
];

fn method_index(m: &Method) -> usize {
    match *m {
        Method::GET => 0,
        Method::POST => 1,
        Method::PUT => 2,
        Method::DELETE => 3,
        Method::HEAD => 4,
        Method::OPTIONS => 5,
        Method::PATCH => 6,
        Method::CONNECT => 7,
        Method::TRACE => 8,
        // Extension methods share one label value: clients cannot create series at will.
        _ => 9,
    }
}

fn route_index(req: &HttpRequest) -> usize {
    req.match_name()
        .and_then(|name| ROUTES.iter().position(|r| *r == name))
        .unwrap_or(ROUTES.len())
}

fn route_label(index: usize) -> &'static str {
    ROUTES.get(index).copied().unwrap_or(UNMATCHED_ROUTE)
}

/// Request ids: a random 64-bit process prefix and a counter, as 32 hex digits. Unique per
/// process without a syscall or a lock per request.
fn next_request_id() -> HeaderValue {
    static PREFIX: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let prefix = *PREFIX.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        // RandomState is seeded from the OS's random source.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        h.finish()
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut out = [0u8; 32];
    hex_into(&mut out[..16], prefix);
    hex_into(&mut out[16..], n);
    HeaderValue::from_bytes(&out).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

fn hex_into(out: &mut [u8], mut v: u64) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in out.iter_mut().rev() {
        *b = HEX[(v & 0xf) as usize];
        v >>= 4;
    }
}

/// 1 to 128 visible ASCII characters other than `"` and `\` (so that log lines never need
/// to escape an id).
fn acceptable_request_id(v: &HeaderValue) -> bool {
    let b = v.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_REQUEST_ID_LEN
        && b.iter()
            .all(|&c| c.is_ascii_graphic() && c != b'"' && c != b'\\')
}

/// Metric handles of one worker, resolved lazily and kept: (route × method) → duration
/// histogram, and a short list of (status → counter).
struct HandleCache {
    cells: Vec<Cell>,
}

#[derive(Default)]
struct Cell {
    duration: Option<Histogram>,
    counters: Vec<(u16, IntCounter)>,
}

impl HandleCache {
    fn new() -> Self {
        let mut cells = Vec::new();
        cells.resize_with((ROUTES.len() + 1) * METHODS.len(), Cell::default);
        Self { cells }
    }

    fn record(
        &mut self,
        state: &AppState,
        route: usize,
        method: usize,
        status: StatusCode,
        secs: f64,
    ) {
        let cell = &mut self.cells[route * METHODS.len() + method];
        let m = &state.metrics;
        let duration = cell.duration.get_or_insert_with(|| {
            m.http_duration
                .with_label_values(&[METHODS[method], route_label(route)])
        });
        duration.observe(secs);
        let code = status.as_u16();
        match cell.counters.iter().find(|(c, _)| *c == code) {
            Some((_, counter)) => counter.inc(),
            None => {
                let counter = m.http_requests.with_label_values(&[
                    METHODS[method],
                    route_label(route),
                    status.as_str(),
                ]);
                counter.inc();
                cell.counters.push((code, counter));
            }
        }
    }
}

/// The middleware factory: `App::new().wrap(Observe::new(state))`.
pub struct Observe {
    state: Arc<AppState>,
}

impl Observe {
    pub fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }
}

impl<S, B> Transform<S, ServiceRequest> for Observe
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = ObserveMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(ObserveMiddleware {
            service,
            inner: Rc::new(Inner {
                state: self.state.clone(),
                cache: RefCell::new(HandleCache::new()),
            }),
        }))
    }
}

struct Inner {
    state: Arc<AppState>,
    cache: RefCell<HandleCache>,
}

pub struct ObserveMiddleware<S> {
    service: S,
    inner: Rc<Inner>,
}

impl<S, B> Service<ServiceRequest> for ObserveMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = ObserveFuture<S::Future>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let start = Instant::now();
        let request_id = match req.headers().get(X_REQUEST_ID) {
            Some(v) if acceptable_request_id(v) => v.clone(),
            _ => next_request_id(),
        };
        let method = method_index(req.method());
        ObserveFuture {
            fut: self.service.call(req),
            start,
            method,
            request_id: Some(request_id),
            inner: self.inner.clone(),
        }
    }
}

pin_project_lite::pin_project! {
    pub struct ObserveFuture<F> {
        #[pin]
        fut: F,
        start: Instant,
        method: usize,
        request_id: Option<HeaderValue>,
        inner: Rc<Inner>,
    }
}

impl<F, B> Future for ObserveFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody,
{
    type Output = Result<ServiceResponse<B>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let result = match this.fut.poll(cx) {
            Poll::Ready(result) => result,
            Poll::Pending => return Poll::Pending,
        };
        let elapsed = this.start.elapsed();
        let inner: &Inner = this.inner;
        let state = &*inner.state;
        let request_id = this
            .request_id
            .take()
            .unwrap_or_else(|| HeaderValue::from_static("-"));

        let mut res = match result {
            Ok(res) => res,
            Err(err) => {
                // Errors become responses further out; count and log them here all the same.
                let status = err.as_response_error().status_code();
                inner.cache.borrow_mut().record(
                    state,
                    ROUTES.len(),
                    *this.method,
                    status,
                    elapsed.as_secs_f64(),
                );
                log::warn!(target: ACCESS_TARGET, status = status.as_u16(); "request failed: {err}");
                return Poll::Ready(Err(err));
            }
        };

        let status = res.status();
        let route = route_index(res.request());
        inner
            .cache
            .borrow_mut()
            .record(state, route, *this.method, status, elapsed.as_secs_f64());

        match state.access_log {
            AccessLog::Off => {}
            mode => {
                let bytes = match res.response().body().size() {
                    BodySize::Sized(n) => n,
                    BodySize::None | BodySize::Stream => 0,
                };
                let req = res.request();
                let line = AccessLine {
                    method: req.method().as_str(),
                    path: req.path(),
                    status: status.as_u16(),
                    bytes,
                    micros: u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
                    request_id: request_id.to_str().unwrap_or("-"),
                };
                if mode == AccessLog::Json {
                    write_access_json(&line);
                } else {
                    log_access(&line);
                }
            }
        }

        if !state.is_ready() {
            // Shutting down: finish this request, then close the connection so that keep-alive
            // clients reconnect to another instance instead of holding this one open.
            res.response_mut()
                .head_mut()
                .set_connection_type(actix_web::http::ConnectionType::Close);
        }
        res.headers_mut().insert(X_REQUEST_ID, request_id);
        Poll::Ready(Ok(res))
    }
}

/// The access line through `log` (text format, or any logger installed by an embedding program).
fn log_access(line: &AccessLine<'_>) {
    log::info!(
        target: ACCESS_TARGET,
        method = line.method,
        path = line.path,
        status = line.status,
        bytes = line.bytes,
        duration_ms = line.micros as f64 / 1000.0,
        request_id = line.request_id;
        "{} {} {}",
        line.method,
        line.path,
        line.status
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_request_ids_are_distinct_32_hex_digits() {
        let a = next_request_id();
        let b = next_request_id();
        assert_ne!(a, b);
        for id in [a, b] {
            assert_eq!(id.len(), 32);
            assert!(id.as_bytes().iter().all(u8::is_ascii_hexdigit));
        }
    }

    #[test]
    fn client_request_ids_must_be_short_and_printable() {
        assert!(acceptable_request_id(&HeaderValue::from_static("abc-123")));
        assert!(!acceptable_request_id(&HeaderValue::from_static("")));
        assert!(!acceptable_request_id(&HeaderValue::from_static("a b")));
        assert!(!acceptable_request_id(&HeaderValue::from_static("a\"b")));
        assert!(!acceptable_request_id(&HeaderValue::from_static("a\\b")));
        let long = "x".repeat(MAX_REQUEST_ID_LEN + 1);
        assert!(!acceptable_request_id(
            &HeaderValue::from_str(&long).unwrap()
        ));
    }
}
