//! The service's Prometheus registry: HTTP metrics, echo metrics, process metrics, build info.
//!
//! Names follow the Prometheus conventions so `promtool check metrics` has no findings:
//! counters end in `_total`, histograms carry their unit (`_seconds`, `_bytes`).

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts,
    Registry, TextEncoder,
};

/// Content type of the text exposition format, as Prometheus expects it.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Request duration buckets, in seconds: from half a millisecond to ten seconds.
const DURATION_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Echo payload buckets, in bytes: 16 B to 1 MiB, ×4 each step.
const PAYLOAD_BUCKETS: &[f64] = &[
    16.0, 64.0, 256.0, 1024.0, 4096.0, 16384.0, 65536.0, 262144.0, 1048576.0,
];

/// Handles to every metric the service records, and the registry that exposes them.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    /// `http_requests_total{method,route,status}`
    pub http_requests: IntCounterVec,
    /// `http_request_duration_seconds{method,route}`
    pub http_duration: HistogramVec,
    /// `<ns>_echo_requests_total`
    pub echo_requests: IntCounter,
    /// `<ns>_echo_payload_size_bytes`
    pub echo_payload: Histogram,
}

impl Metrics {
    /// Builds a fresh registry. `namespace` prefixes the service's own metrics.
    pub fn new(namespace: &str, version: &str) -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let http_requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests answered, by method, matched route pattern and status code.",
            ),
            &["method", "route", "status"],
        )?;
        let http_duration = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time from request received to response ready, by method and route.",
            )
            .buckets(DURATION_BUCKETS.to_vec()),
            &["method", "route"],
        )?;
        let echo_requests = IntCounter::with_opts(
            Opts::new("echo_requests_total", "Bodies returned by POST /echo.").namespace(namespace),
        )?;
        let echo_payload = Histogram::with_opts(
            HistogramOpts::new(
                "echo_payload_size_bytes",
                "Size of the bodies returned by POST /echo.",
            )
            .namespace(namespace)
            .buckets(PAYLOAD_BUCKETS.to_vec()),
        )?;
        let build_info = IntGauge::with_opts(
            Opts::new(
                "build_info",
                "Always 1; the labels say which build of the service is running.",
            )
            .namespace(namespace)
            .const_label("version", version),
        )?;
        build_info.set(1);

        registry.register(Box::new(http_requests.clone()))?;
        registry.register(Box::new(http_duration.clone()))?;
        registry.register(Box::new(echo_requests.clone()))?;
        registry.register(Box::new(echo_payload.clone()))?;
        registry.register(Box::new(build_info))?;
        #[cfg(target_os = "linux")]
        registry.register(Box::new(
            prometheus::process_collector::ProcessCollector::for_self(),
        ))?;

        Ok(Self {
            registry,
            http_requests,
            http_duration,
            echo_requests,
            echo_payload,
        })
    }

    /// The registry in the Prometheus text exposition format.
    pub fn encode(&self) -> Result<Vec<u8>, prometheus::Error> {
        let families = self.registry.gather();
        let mut out = Vec::with_capacity(8 * 1024);
        TextEncoder::new().encode(&families, &mut out)?;
        Ok(out)
    }
}
