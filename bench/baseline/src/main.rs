//! The bench's baseline: a bare actix-web server with the service's routes (`POST /echo`
//! returning the body as `web::Bytes`, `GET /health`) and no logging, metrics or middleware.
//! It is the practical upper limit the service is measured against by `tools/bench.sh`.
//!
//! Configuration uses the service's environment names so the harness starts both the same way:
//! `APP_SERVER__HOST` (default 127.0.0.1), `APP_SERVER__PORT` (default 8001, 0 = any free port),
//! `APP_SERVER__WORKERS` (default 1). `--port N` / `--workers N` / `--host H` override them.
//! Once listening it prints `listening on <addr>` to stderr.

use std::net::TcpListener;
use std::process::ExitCode;

use actix_web::{web, App, HttpResponse, HttpServer};

async fn echo(body: web::Bytes) -> web::Bytes {
    body
}

/// The same answer as the service's health route, so both put the same bytes on the wire.
async fn health() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(r#"{"status":"UP"}"#)
}

const USAGE: &str = "expected --host, --port or --workers";

struct Settings {
    host: String,
    port: u16,
    workers: usize,
}

fn parse<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("bench-baseline: {name} must be a number (got {value:?})"))
}

fn settings() -> Result<Settings, String> {
    let mut s = Settings {
        host: std::env::var("APP_SERVER__HOST").unwrap_or_else(|_| "127.0.0.1".into()),
        port: 8001,
        workers: 1,
    };
    if let Ok(v) = std::env::var("APP_SERVER__PORT") {
        s.port = parse("APP_SERVER__PORT", &v)?;
    }
    if let Ok(v) = std::env::var("APP_SERVER__WORKERS") {
        s.workers = parse("APP_SERVER__WORKERS", &v)?;
    }
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("bench-baseline: {flag} needs a value"))?;
        match flag.as_str() {
            "--host" => s.host = value,
            "--port" => s.port = parse("--port", &value)?,
            "--workers" => s.workers = parse("--workers", &value)?,
            other => {
                return Err(format!(
                    "bench-baseline: unknown argument {other:?} ({USAGE})"
                ))
            }
        }
    }
    if s.workers == 0 {
        return Err("bench-baseline: workers must be at least 1 (got 0)".into());
    }
    Ok(s)
}

fn main() -> ExitCode {
    let s = match settings() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind((s.host.as_str(), s.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "bench-baseline: cannot listen on {}:{}: {e}",
                s.host, s.port
            );
            return ExitCode::from(1);
        }
    };
    let result = actix_web::rt::System::new().block_on(async move {
        let addr = listener.local_addr()?;
        let server = HttpServer::new(|| {
            App::new()
                .route("/echo", web::post().to(echo))
                .route("/health", web::get().to(health))
        })
        .workers(s.workers)
        .listen(listener)?
        .run();
        eprintln!("listening on {addr}");
        server.await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-baseline: server stopped: {e}");
            ExitCode::from(1)
        }
    }
}
