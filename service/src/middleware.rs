//! One middleware around every route (`actix_web::middleware::from_fn`): request id, HTTP
//! metrics and the access log.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{ConnectionType, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::Error;
use prometheus::{Histogram, IntCounter};

use crate::state::{AccessLog, AppState};
use crate::telemetry::logging::{write_access_json, Access};
use crate::telemetry::ACCESS_TARGET;

/// The request id header, read from the request when present and set on every response.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Longest request id accepted from a client; longer or odd ones are replaced.
const MAX_REQUEST_ID_LEN: usize = 128;
/// The `route` label of every request that matched no route (keeps scanners from creating series).
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// Methods with a label of their own; any other counts as `OTHER`, so clients cannot create
/// series at will.
static LABELLED_METHODS: [Method; 9] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::DELETE,
    Method::HEAD,
    Method::OPTIONS,
    Method::PATCH,
    Method::CONNECT,
    Method::TRACE,
];

fn method_label(method: &Method) -> &'static str {
    LABELLED_METHODS
        .iter()
        .find(|m| *m == method)
        .map_or("OTHER", Method::as_str)
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
    let id = (u128::from(prefix) << 64 | u128::from(n)).to_be_bytes();
    let mut digits = [0u8; 32];
    hex::encode_to_slice(id, &mut digits).expect("32 hex digits hold 16 bytes");
    HeaderValue::from_bytes(&digits).expect("hex digits are a valid header value")
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

/// The metric handles of one (route, method, status), resolved once per worker and kept:
/// `with_label_values` on every request (it hashes the labels and takes a lock) cost ~240
/// instructions per request more with bench/callgrind.py (20,840 against 20,600 for `/health`).
struct Handles {
    route: String,
    method: &'static str,
    status: StatusCode,
    requests: IntCounter,
    duration: Histogram,
}

/// The middleware's state in one worker: `App::new().wrap(from_fn(...))` with
/// [`Observer::observe`], one `Observer` per worker.
pub struct Observer {
    state: Arc<AppState>,
    handles: RefCell<Vec<Handles>>,
}

impl Observer {
    pub fn new(state: Arc<AppState>) -> Self {
        Self {
            state,
            handles: RefCell::new(Vec::new()),
        }
    }

    fn record(&self, route: &str, method: &'static str, status: StatusCode, secs: f64) {
        let mut handles = self.handles.borrow_mut();
        let found = handles
            .iter()
            .position(|h| h.status == status && h.method == method && h.route == route);
        let index = found.unwrap_or_else(|| {
            let m = &self.state.metrics;
            handles.push(Handles {
                route: route.to_string(),
                method,
                status,
                requests: m
                    .http_requests
                    .with_label_values(&[method, route, status.as_str()]),
                duration: m.http_duration.with_label_values(&[method, route]),
            });
            handles.len() - 1
        });
        handles[index].requests.inc();
        handles[index].duration.observe(secs);
    }

    /// Serves one request: gives it an id, times it, counts it, logs it.
    pub async fn observe<B: MessageBody>(
        &self,
        req: ServiceRequest,
        next: Next<B>,
    ) -> Result<ServiceResponse<B>, Error> {
        let start = Instant::now();
        let request_id = match req.headers().get(X_REQUEST_ID) {
            Some(v) if acceptable_request_id(v) => v.clone(),
            _ => next_request_id(),
        };
        let method = method_label(req.method());
        let mut res = next.call(req).await?;
        let elapsed = start.elapsed();
        let status = res.status();
        let req = res.request();
        let route = req.match_name().unwrap_or(UNMATCHED_ROUTE);
        self.record(route, method, status, elapsed.as_secs_f64());

        if self.state.access_log != AccessLog::Off {
            let access = Access {
                method: req.method().as_str(),
                path: req.path(),
                status: status.as_u16(),
                bytes: match res.response().body().size() {
                    BodySize::Sized(n) => n,
                    BodySize::None | BodySize::Stream => 0,
                },
                micros: u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
                request_id: request_id.to_str().unwrap_or("-"),
            };
            if self.state.access_log == AccessLog::Json {
                write_access_json(&access);
            } else {
                log::info!(
                    target: ACCESS_TARGET,
                    method = access.method,
                    path = access.path,
                    status = access.status,
                    bytes = access.bytes,
                    duration_ms = access.micros as f64 / 1000.0,
                    request_id = access.request_id;
                    "{} {} {}",
                    access.method,
                    access.path,
                    access.status
                );
            }
        }
        if !self.state.is_ready() {
            // Shutting down: finish this request, then close the connection so that keep-alive
            // clients reconnect to another instance instead of holding this one open.
            res.response_mut()
                .head_mut()
                .set_connection_type(ConnectionType::Close);
        }
        res.headers_mut().insert(X_REQUEST_ID, request_id);
        Ok(res)
    }
}
