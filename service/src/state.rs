//! State shared by every worker: readiness, metric handles and the settings handlers need.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::telemetry::Metrics;

pub struct AppState {
    /// True until SIGTERM/SIGINT arrives.
    pub ready: AtomicBool,
    pub metrics: Metrics,
    /// Whether `POST /echo` logs the bodies it receives.
    pub log_bodies: bool,
    /// Largest body `POST /echo` accepts (`server.max_body_bytes`).
    pub max_body_bytes: usize,
    /// How (and whether) every request gets an access-log line.
    pub access_log: AccessLog,
}

/// The access log's mode, decided once at start-up (the log filter cannot change later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessLog {
    /// Off by configuration or filtered out by the log level / `RUST_LOG`.
    Off,
    /// Through `log` (env_logger's text format, or a logger installed by an embedding program).
    Log,
    /// Straight into the log buffer by [`crate::telemetry::logging::write_access_json`].
    Json,
}

impl AppState {
    /// True until shutdown begins (then `/ready` answers 503).
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Relaxed)
    }
}
