//! The HTTP server: binds first (so port 0 works and the real port can be read back), then runs
//! until a shutdown signal, draining in-flight requests.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::BoxBody;
use actix_web::dev::{Server, ServiceRequest};
use actix_web::http::KeepAlive;
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, App, HttpServer};
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;

use crate::configuration::Settings;
use crate::middleware::Observer;
use crate::routes;
use crate::state::{AccessLog, AppState};
use crate::telemetry::{Metrics, ACCESS_TARGET};

/// Version reported by `--version` and the `build_info` metric.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A bound, not yet running server.
pub struct Application {
    address: SocketAddr,
    workers: usize,
    shutdown_delay: Duration,
    server: Server,
    state: Arc<AppState>,
}

impl Application {
    /// Binds `server.host:server.port` and prepares the workers. Must be called inside a Tokio
    /// runtime (or an actix `System`).
    pub fn build(settings: &Settings) -> io::Result<Self> {
        let server_settings = &settings.server;
        let metrics = Metrics::new(&settings.metrics.namespace, VERSION)
            .map_err(|e| io::Error::other(format!("cannot create the metrics registry: {e}")))?;
        let state = Arc::new(AppState {
            ready: AtomicBool::new(true),
            metrics,
            log_bodies: settings.logging.log_bodies,
            max_body_bytes: settings.server.max_body_bytes,
            access_log: access_log_mode(settings.logging.access_log),
        });

        let wanted = format!("{}:{}", server_settings.host, server_settings.port);
        let listener = TcpListener::bind(&wanted)
            .map_err(|e| io::Error::other(format!("cannot listen on {wanted}: {e}")))?;
        let address = listener
            .local_addr()
            .map_err(|e| io::Error::other(format!("cannot read the bound address: {e}")))?;

        let workers = match server_settings.workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        let keep_alive = match server_settings.keep_alive_secs {
            0 => KeepAlive::Disabled,
            s => KeepAlive::Timeout(Duration::from_secs(s)),
        };

        let data = web::Data::from(state.clone());
        let server = HttpServer::new(move || {
            let observer = Rc::new(Observer::new(data.clone().into_inner()));
            App::new()
                .app_data(data.clone())
                .wrap(from_fn(move |req: ServiceRequest, next: Next<BoxBody>| {
                    let observer = observer.clone();
                    async move { observer.observe(req, next).await }
                }))
                .configure(routes::configure)
        })
        .workers(workers)
        .keep_alive(keep_alive)
        .shutdown_timeout(server_settings.shutdown_timeout_secs)
        .disable_signals()
        .listen(listener)
        .map_err(|e| io::Error::other(format!("cannot serve on {address}: {e}")))?
        .run();

        Ok(Self {
            address,
            workers,
            shutdown_delay: Duration::from_millis(server_settings.shutdown_delay_ms),
            server,
            state,
        })
    }

    /// The address actually bound (with the real port when 0 was asked for).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Serves until SIGTERM or SIGINT (what Nomad and Ctrl-C send), then shuts down gracefully;
    /// a second signal while draining stops at once. The handlers are installed before serving,
    /// so an early signal is not lost.
    pub async fn run_until_stopped(self) -> io::Result<()> {
        let (mut term, mut int) = (
            signal(SignalKind::terminate())?,
            signal(SignalKind::interrupt())?,
        );
        let (stop, stops) = mpsc::channel(2);
        tokio::spawn(async move {
            loop {
                let name = tokio::select! {
                    _ = term.recv() => "received SIGTERM",
                    _ = int.recv() => "received SIGINT",
                };
                if stop.send(name).await.is_err() {
                    break;
                }
            }
        });
        self.run_until(stops).await
    }

    /// Serves until the first message on `stops` (the reason, logged) or until every sender is
    /// gone, then: readiness turns 503; after `server.shutdown_delay_ms` (default 0) the
    /// listener closes, idle connections are closed and in-flight requests get
    /// `server.shutdown_timeout_secs` to finish. A second message while draining stops at once.
    pub async fn run_until(self, mut stops: mpsc::Receiver<&'static str>) -> io::Result<()> {
        let handle = self.server.handle();
        let state = self.state.clone();
        let delay = self.shutdown_delay;
        let stopper = tokio::spawn(async move {
            let reason = stops.recv().await.unwrap_or("shutdown requested");
            state.ready.store(false, Ordering::Relaxed);
            log::info!(
                "{reason}: shutting down gracefully (readiness now 503{})",
                if delay.is_zero() {
                    String::new()
                } else {
                    format!(", still accepting for {} ms", delay.as_millis())
                }
            );
            crate::telemetry::flush_logs();
            let graceful = async {
                tokio::time::sleep(delay).await;
                handle.stop(true).await;
            };
            tokio::select! {
                () = graceful => {}
                Some(second) = stops.recv() => {
                    log::warn!("{second}: stopping without waiting for in-flight requests");
                    handle.stop(false).await;
                }
            }
        });
        let result = self.server.await;
        stopper.abort();
        result
    }
}

/// The access log is on when configured and when the installed logger lets info lines of
/// [`ACCESS_TARGET`] through; JSON lines take the direct path when the JSON format is active.
fn access_log_mode(configured: bool) -> AccessLog {
    if !configured || !log::log_enabled!(target: ACCESS_TARGET, log::Level::Info) {
        AccessLog::Off
    } else if crate::telemetry::logging::json_logging_active() {
        AccessLog::Json
    } else {
        AccessLog::Log
    }
}
