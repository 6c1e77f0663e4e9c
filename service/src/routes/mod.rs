//! One file per route. Each resource is named after its pattern, so the metrics middleware
//! reads the matched route with `HttpRequest::match_name` (no allocation per request).

mod echo;
mod errors;
mod health;
mod metrics;
mod ready;

pub use echo::echo;
pub use errors::{method_not_allowed, not_found};
pub use health::health;
pub use metrics::metrics;
pub use ready::ready;

/// The route patterns the service serves, as they appear in the `route` metric label.
pub const ROUTES: [&str; 4] = ["/health", "/ready", "/metrics", "/echo"];
/// The `route` label of every request that matched no route (keeps scanners from creating series).
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// A small JSON body shared by the error responses and the probes.
pub(crate) const JSON: &str = "application/json";
