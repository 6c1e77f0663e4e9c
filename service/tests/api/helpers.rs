//! Test helpers: an in-process server on 127.0.0.1 port 0, the real binary as a child process,
//! and a raw HTTP/1.1 client for the cases a high-level client hides (partial bodies,
//! chunked uploads, one connection reused across a shutdown).
//!
//! Logs of in-process servers are silent unless `TEST_LOG=1` is set.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::sync::Once;
use std::time::Duration;

use prototype_service::configuration::{self, Settings, Sources};
use prototype_service::startup::Application;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

/// Upper bound for any single wait in the tests, so a bug hangs nothing for long.
pub const WAIT: Duration = Duration::from_secs(10);

static TEST_LOG: Once = Once::new();

/// A running in-process server.
pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub client: reqwest::Client,
    /// Dropping the test app drops this sender, which stops the server gracefully.
    _stop: mpsc::Sender<&'static str>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path} failed: {e}"))
    }

    pub async fn post(&self, path: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path} failed: {e}"))
    }

    /// The text of `GET /metrics`.
    pub async fn scrape(&self) -> String {
        let res = self.get("/metrics").await;
        assert_eq!(res.status(), 200, "GET /metrics");
        res.text().await.expect("metrics body")
    }
}

/// Settings for tests: loopback, a free port, one worker.
pub fn test_settings() -> Settings {
    let mut settings = Settings::default();
    settings.server.host = "127.0.0.1".to_string();
    settings.server.port = 0;
    settings.server.workers = 1;
    settings.server.shutdown_timeout_secs = 1;
    settings
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(test_settings()).await
}

/// Starts the server with `settings` (host and port are forced to 127.0.0.1:0).
pub async fn spawn_app_with(mut settings: Settings) -> TestApp {
    TEST_LOG.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            let mut logging = settings.logging.clone();
            logging.level = "debug".to_string();
            let _ = prototype_service::telemetry::init_logging(&logging);
        }
    });
    settings.server.host = "127.0.0.1".to_string();
    settings.server.port = 0;
    let app = Application::build(&settings).expect("the application builds");
    let port = app.port();
    let (stop, stops) = mpsc::channel(1);
    tokio::spawn(app.run_until(stops));
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        client: reqwest::Client::builder()
            .timeout(WAIT)
            .build()
            .expect("reqwest client"),
        _stop: stop,
    }
}

/// Loads the configuration from `sources` the way `main` does, then starts the server.
pub async fn spawn_app_from(sources: &Sources) -> TestApp {
    let loaded = configuration::load(sources).unwrap_or_else(|e| panic!("config loads: {e}"));
    let mut settings = loaded.settings;
    settings.server.workers = 1;
    spawn_app_with(settings).await
}

/// Sources rooted in a temporary directory: `<root>/config` and `<root>/etc`, no environment.
pub fn sources_in(root: &Path) -> Sources {
    Sources {
        config_dir: root.join("config"),
        etc_dir: root.join("etc"),
        config_file: None,
        profiles: None,
        env: BTreeMap::new(),
    }
}

/// Writes `text` to `path`, creating parent directories.
pub fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create test config dir");
    }
    std::fs::write(path, text).expect("write test config file");
}

/// The metrics namespace a running server was configured with, read from its build_info metric.
pub async fn namespace_of(app: &TestApp) -> String {
    let metrics = app.scrape().await;
    metrics
        .lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.split_once("_build_info{").map(|(ns, _)| ns.to_string()))
        .unwrap_or_else(|| panic!("no *_build_info metric in:\n{metrics}"))
}

/// The value of the sample whose text before the value is exactly `series`.
pub fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics.lines().find_map(|l| {
        let (name, value) = l.rsplit_once(' ')?;
        (name == series).then(|| value.parse().ok()).flatten()
    })
}

// ---------------------------------------------------------------------------------------------
// The real binary as a child process.

/// The built `prototype-service` binary, its stdout lines and its address.
pub struct ChildApp {
    pub child: Child,
    pub port: u16,
    /// Every stdout line read so far (the start line included).
    pub lines: Vec<String>,
    rx: mpsc::UnboundedReceiver<String>,
}

/// Runs the binary in `dir` with `env` (on top of a cleared `APP_*`/`RUST_LOG` environment),
/// port 0 and JSON logs, and waits for its start line.
pub async fn spawn_binary(dir: &Path, env: &[(&str, &str)]) -> ChildApp {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_prototype-service"));
    cmd.current_dir(dir)
        .env_remove("RUST_LOG")
        .env("APP_SERVER__HOST", "127.0.0.1")
        .env("APP_SERVER__PORT", "0")
        .env("APP_LOGGING__FORMAT", "json")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (key, _) in std::env::vars() {
        if key.starts_with("APP_") {
            cmd.env_remove(key);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the service binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, mut rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut lines = BufReader::new(stdout).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    let port = tokio::time::timeout(WAIT, async {
        while let Some(line) = rx.recv().await {
            let port = line
                .split_once("listening on http://")
                .and_then(|(_, rest)| rest.split_once(' '))
                .and_then(|(addr, _)| addr.rsplit_once(':'))
                .and_then(|(_, port)| port.parse::<u16>().ok());
            lines.push(line);
            if let Some(port) = port {
                return port;
            }
        }
        panic!(
            "the binary exited before its start line; stdout:\n{}",
            lines.join("\n")
        );
    })
    .await
    .expect("start line within the wait");
    ChildApp {
        child,
        port,
        lines,
        rx,
    }
}

impl ChildApp {
    pub fn signal(&self, signal: i32) {
        let pid = self.child.id().expect("child still running") as i32;
        // SAFETY: kill(2) on our own child's pid has no memory-safety requirements.
        let rc = unsafe { libc::kill(pid, signal) };
        assert_eq!(rc, 0, "kill({pid}, {signal})");
    }

    /// Waits for exit; returns the exit status and all stdout lines.
    pub async fn wait(mut self) -> (std::process::ExitStatus, Vec<String>) {
        let status = tokio::time::timeout(WAIT, self.child.wait())
            .await
            .expect("the binary exits within the wait")
            .expect("wait for the binary");
        while let Ok(Some(line)) = tokio::time::timeout(WAIT, self.rx.recv()).await {
            self.lines.push(line);
        }
        (status, self.lines)
    }
}

/// Runs the binary to completion (for arguments or configurations that stop it early).
pub async fn run_binary(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_prototype-service"));
    cmd.current_dir(dir).args(args).env_remove("RUST_LOG");
    for (key, _) in std::env::vars() {
        if key.starts_with("APP_") {
            cmd.env_remove(key);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    tokio::time::timeout(WAIT, cmd.output())
        .await
        .expect("the binary exits within the wait")
        .expect("the binary runs")
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP/1.1.

pub async fn connect(port: u16) -> TcpStream {
    tokio::time::timeout(WAIT, TcpStream::connect(("127.0.0.1", port)))
        .await
        .expect("connect within the wait")
        .expect("connect")
}

/// A response read off a raw connection.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

pub async fn send(stream: &mut TcpStream, bytes: &[u8]) {
    stream.write_all(bytes).await.expect("write to server");
}

/// Reads one response with a `Content-Length` body.
pub async fn read_response(stream: &mut TcpStream) -> RawResponse {
    tokio::time::timeout(WAIT, async {
        let mut buf = Vec::new();
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await.expect("read response");
            assert!(
                n > 0,
                "connection closed before a full response head: {buf:?}"
            );
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line in {head:?}"));
        let headers: BTreeMap<String, String> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let len: usize = headers
            .get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no content-length in {head:?}"));
        let mut body = buf[head_end..].to_vec();
        while body.len() < len {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await.expect("read body");
            assert!(n > 0, "connection closed in the body");
            body.extend_from_slice(&chunk[..n]);
        }
        body.truncate(len);
        RawResponse {
            status,
            headers,
            body,
        }
    })
    .await
    .expect("response within the wait")
}
