//! One file per route, and the route table that names each route once.

mod echo;
mod errors;
mod health;
mod metrics;
mod ready;

use std::sync::LazyLock;

use actix_web::http::header::ContentType;
use actix_web::http::{Method, StatusCode};
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde::Serialize;

pub use echo::echo;
pub use errors::{json_error, method_not_allowed, not_found};
pub use health::health;
pub use metrics::metrics;
pub use ready::ready;

/// Registers every route. Each pattern is also its resource's name, which the middleware reads
/// back (`HttpRequest::match_name`, no allocation) as the `route` metric label; the method is
/// the only one the resource accepts and the `Allow` header of its 405.
pub fn configure(cfg: &mut web::ServiceConfig) {
    for (pattern, method, handler) in [
        ("/health", Method::GET, web::to(health)),
        ("/ready", Method::GET, web::to(ready)),
        ("/metrics", Method::GET, web::to(metrics)),
        ("/echo", Method::POST, web::to(echo)),
    ] {
        let allow = method.clone();
        cfg.service(
            web::resource(pattern)
                .name(pattern)
                .route(handler.method(method))
                .default_service(web::to(move || method_not_allowed(allow.clone()))),
        );
    }
    cfg.default_service(web::to(not_found));
}

/// A probe's answer, `{"status":"UP"}` and the like, serialized once: `HttpResponse::json`
/// costs ~1,100 instructions per request, 5 % of a `GET /health` (service/README.md, "The
/// noise-free view").
fn probe(status: StatusCode, body: &'static LazyLock<Bytes>) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(ContentType::json())
        .body(Bytes::clone(body))
}

/// `{"status":"UP"}`, the answer of `/health` and of `/ready` while serving.
static UP: LazyLock<Bytes> = LazyLock::new(|| probe_body("UP"));

/// Serializes `{"status":<status>}`.
fn probe_body(status: &'static str) -> Bytes {
    #[derive(Serialize)]
    struct Probe {
        status: &'static str,
    }
    serde_json::to_vec(&Probe { status })
        .unwrap_or_default()
        .into()
}
