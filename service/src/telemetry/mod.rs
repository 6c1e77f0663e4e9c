//! Telemetry: logs ([`logging`]) and Prometheus metrics ([`metrics`]).

pub mod logging;
pub mod metrics;

pub use logging::{flush_logs, init_logging, ACCESS_TARGET};
pub use metrics::Metrics;
