//! Logging through env_logger, as text or as one JSON object per line, into a buffer that a
//! background thread writes to stdout (the trade-off: service/README.md, "Logs").

use std::cell::Cell;
use std::fmt::Display;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use env_logger::fmt::Formatter;
use log::kv::{self, VisitSource};
use log::Record;
use serde::ser::Error as _;
use serde::{Serialize, Serializer};

use crate::configuration::{LogFormat, LoggingSettings};

/// Target of the access-log lines (filter them with `RUST_LOG=prototype_service::access=off`).
pub const ACCESS_TARGET: &str = "prototype_service::access";
/// Longest time a line waits in the buffer.
pub const FLUSH_INTERVAL: Duration = Duration::from_millis(100);
/// Buffer size that makes the writer thread flush without waiting for the interval.
pub const URGENT_BYTES: usize = 64 * 1024;
/// Buffer size at which the logging thread itself writes (back-pressure when stdout is slow).
const BLOCKING_BYTES: usize = 4 * 1024 * 1024;

/// Lines not yet written, and the flusher thread's wake-up call. Batching is what `make bench`
/// asked for: a `write(2)` per line cost 1.3-2.0 CPU µs per request more (+14-18 %; e.g. health
/// 10.71 against 9.39 µs), see bench/README.md, "The log buffer".
struct Sink {
    pending: Mutex<Vec<u8>>,
    /// Signalled when `pending` goes from empty to non-empty or passes `URGENT_BYTES`.
    wake: Condvar,
    /// Held while writing to stdout, so batches come out in order; taken before `pending`.
    output: Mutex<Vec<u8>>,
}

static SINK: Sink = Sink {
    pending: Mutex::new(Vec::new()),
    wake: Condvar::new(),
    output: Mutex::new(Vec::new()),
};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Sink {
    /// Moves the pending lines to stdout; a logger has nowhere to report a write error.
    fn write_out(&self) {
        let mut out = lock(&self.output);
        std::mem::swap(&mut *lock(&self.pending), &mut *out);
        if !out.is_empty() {
            let mut stdout = io::stdout().lock();
            let _ = stdout.write_all(&out).and_then(|()| stdout.flush());
            out.clear();
            out.shrink_to(BLOCKING_BYTES);
        }
    }

    /// Wakes the flusher only on the transitions that matter (a notify is a syscall); writes
    /// at once when stdout is falling behind.
    fn appended(&self, before: usize, after: usize) {
        if after >= BLOCKING_BYTES {
            self.write_out();
        } else if before == 0 || (before < URGENT_BYTES && after >= URGENT_BYTES) {
            self.wake.notify_one();
        }
    }

    fn run_flusher(&self) {
        loop {
            let pending = lock(&self.pending);
            let pending = self.wake.wait_while(pending, |p| p.is_empty());
            let pending = pending.unwrap_or_else(|p| p.into_inner());
            let waited = self
                .wake
                .wait_timeout_while(pending, FLUSH_INTERVAL, |p| p.len() < URGENT_BYTES);
            drop(waited);
            self.write_out();
        }
    }
}

/// env_logger's target. Its `flush` after every record is a no-op: the flusher thread writes.
struct SinkWriter;

impl Write for SinkWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut pending = lock(&SINK.pending);
        let before = pending.len();
        pending.extend_from_slice(buf);
        let after = pending.len();
        drop(pending);
        SINK.appended(before, after);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Set once [`init_logging`] has installed the JSON format.
static JSON_ACTIVE: AtomicBool = AtomicBool::new(false);

/// True when [`init_logging`] installed the JSON format (so [`write_access_json`] may be used).
pub fn json_logging_active() -> bool {
    JSON_ACTIVE.load(Ordering::Relaxed)
}

/// Writes every buffered log line to stdout now. Called after start-up, at exit and on panic.
pub fn flush_logs() {
    SINK.write_out();
}

/// Installs the global logger: `logging.level`, overridden by `RUST_LOG` when set.
/// Fails only if a logger is already installed.
pub fn init_logging(settings: &LoggingSettings) -> Result<(), log::SetLoggerError> {
    let mut builder = env_logger::Builder::new();
    builder.parse_filters(&settings.level);
    if let Ok(filters) = std::env::var("RUST_LOG") {
        if !filters.trim().is_empty() {
            builder.parse_filters(&filters);
        }
    }
    builder
        .write_style(env_logger::WriteStyle::Never)
        .target(env_logger::Target::Pipe(Box::new(SinkWriter)));
    match settings.format {
        LogFormat::Text => builder.format_timestamp_millis(),
        LogFormat::Json => builder.format(json_line),
    };
    builder.try_init()?;
    JSON_ACTIVE.store(settings.format == LogFormat::Json, Ordering::Relaxed);

    let flusher = std::thread::Builder::new()
        .name("log-flusher".to_string())
        .stack_size(64 * 1024)
        .spawn(|| SINK.run_flusher());
    if flusher.is_err() {
        log::warn!("cannot start the log flusher thread: logs are written at exit or every 4 MiB");
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        flush_logs();
        previous(info);
    }));
    Ok(())
}

/// One JSON log line: env_logger's `format` ([`json_line`]) writes every record with it.
#[derive(Serialize)]
struct Line<'a, M: Display, F: Serialize> {
    timestamp: Timestamp,
    level: &'a str,
    target: &'a str,
    #[serde(serialize_with = "serialize_display")]
    message: M,
    #[serde(flatten)]
    fields: F,
}

fn serialize_display<S: Serializer>(
    value: &impl Display,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// Now, as RFC 3339 in UTC with microseconds (`2026-11-24T20:47:04.986534Z`).
struct Timestamp(SystemTime);

thread_local! {
    /// `YYYY-MM-DDTHH:MM:SS` of the current second, per thread: jiff's printer costs ~800
    /// instructions, a line's whole budget (see service/README.md, "The noise-free view").
    static DATE: Cell<(u64, [u8; 19])> = const { Cell::new((u64::MAX, [0; 19])) };
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = timestamp_text(self.0);
        serializer.serialize_str(std::str::from_utf8(&text).map_err(S::Error::custom)?)
    }
}

fn timestamp_text(now: SystemTime) -> [u8; 27] {
    let since_epoch = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since_epoch.as_secs();
    let (cached, mut date) = DATE.get();
    if cached != secs {
        let printed = i64::try_from(secs)
            .ok()
            .and_then(|s| jiff::Timestamp::from_second(s).ok())
            .unwrap_or_default()
            .to_string();
        date.copy_from_slice(&printed.as_bytes()[..19]);
        DATE.set((secs, date));
    }
    let mut text = [0u8; 27];
    text[..19].copy_from_slice(&date);
    text[19] = b'.';
    text[20..26].copy_from_slice(&padded::<6>(since_epoch.subsec_micros(), 1_000_000));
    text[26] = b'Z';
    text
}

/// `n` (below `width`, a power of ten) zero-padded to the digits of `width` minus one, by itoa:
/// `width + n` has one digit more, a leading 1.
fn padded<const DIGITS: usize>(n: u32, width: u32) -> [u8; DIGITS] {
    let mut out = [b'0'; DIGITS];
    let mut buffer = itoa::Buffer::new();
    out.copy_from_slice(&buffer.format(width + n).as_bytes()[1..]);
    out
}

/// The record's key-values as fields of the line (the echo body line's `bytes`, say).
struct KeyValues<'a>(&'a Record<'a>);

impl Serialize for KeyValues<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Pairs<'kvs>(Vec<(kv::Key<'kvs>, kv::Value<'kvs>)>);
        impl<'kvs> VisitSource<'kvs> for Pairs<'kvs> {
            fn visit_pair(
                &mut self,
                k: kv::Key<'kvs>,
                v: kv::Value<'kvs>,
            ) -> Result<(), kv::Error> {
                self.0.push((k, v));
                Ok(())
            }
        }
        let mut pairs = Pairs(Vec::new());
        self.0
            .key_values()
            .visit(&mut pairs)
            .map_err(S::Error::custom)?;
        serializer.collect_map(pairs.0.iter().map(|(k, v)| (k.as_str(), v)))
    }
}

/// env_logger's `format` in JSON mode.
fn json_line(buf: &mut Formatter, record: &Record<'_>) -> io::Result<()> {
    let line = Line {
        timestamp: Timestamp(SystemTime::now()),
        level: record.level().as_str(),
        target: record.target(),
        message: record.args(),
        fields: KeyValues(record),
    };
    serde_json::to_writer(&mut *buf, &line)?;
    buf.write_all(b"\n")
}

/// The fields of one access-log line.
#[derive(Serialize)]
pub struct Access<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
    pub bytes: u64,
    #[serde(rename = "duration_ms", serialize_with = "serialize_millis")]
    pub micros: u64,
    pub request_id: &'a str,
}

fn serialize_millis<S: Serializer>(micros: &u64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(*micros as f64 / 1000.0)
}

/// Writes one access line straight into the sink, the same object as [`Line`] (a test checks).
/// Hand-written because it runs once per request: measured with bench/callgrind.py, serde_json
/// writing these fields costs ~3,600 instructions per request more than this (+12 %; 2,700 in its
/// escaping scan of every key and value), and `log` + env_logger another ~2,800 on top. Only
/// the path needs escaping (serde_json does it); numbers go through itoa, the date through jiff.
/// The caller checks first that JSON logging is on and that the filter lets access lines pass.
pub fn write_access_json(access: &Access<'_>) {
    let now = SystemTime::now();
    let mut pending = lock(&SINK.pending);
    let before = pending.len();
    access_json(&mut pending, access, now);
    let after = pending.len();
    drop(pending);
    SINK.appended(before, after);
}

fn access_json(out: &mut Vec<u8>, a: &Access<'_>, now: SystemTime) {
    let (mut status, mut number) = (itoa::Buffer::new(), itoa::Buffer::new());
    let status = status.format(a.status).as_bytes();
    out.extend_from_slice(b"{\"timestamp\":\"");
    out.extend_from_slice(&timestamp_text(now));
    out.extend_from_slice(b"\",\"level\":\"INFO\",\"target\":\"");
    out.extend_from_slice(ACCESS_TARGET.as_bytes());
    out.extend_from_slice(b"\",\"message\":\"");
    out.extend_from_slice(a.method.as_bytes());
    out.push(b' ');
    let path = out.len();
    // A str always serializes; its quotes come off here and go back around the "path" value.
    let _ = serde_json::to_writer(&mut *out, a.path);
    out.remove(path);
    out.pop();
    let path = path..out.len();
    out.push(b' ');
    out.extend_from_slice(status);
    out.extend_from_slice(b"\",\"method\":\"");
    out.extend_from_slice(a.method.as_bytes());
    out.extend_from_slice(b"\",\"path\":\"");
    out.extend_from_within(path);
    out.extend_from_slice(b"\",\"status\":");
    out.extend_from_slice(status);
    out.extend_from_slice(b",\"bytes\":");
    out.extend_from_slice(number.format(a.bytes).as_bytes());
    out.extend_from_slice(b",\"duration_ms\":");
    out.extend_from_slice(number.format(a.micros / 1000).as_bytes());
    out.push(b'.');
    out.extend_from_slice(&padded::<3>((a.micros % 1000) as u32, 1_000));
    out.extend_from_slice(b",\"request_id\":\"");
    out.extend_from_slice(a.request_id.as_bytes());
    out.extend_from_slice(b"\"}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_lines_are_the_object_that_serde_makes() {
        let now = UNIX_EPOCH + Duration::from_micros(1_795_552_456_000_081);
        let access = Access {
            method: "GET",
            path: "/a \"quoted\" \\ path\u{1}",
            status: 404,
            bytes: 35,
            micros: 12_003,
            request_id: "abc-1",
        };
        let message = format!("GET {} 404", access.path);
        let line = Line {
            timestamp: Timestamp(now),
            level: "INFO",
            target: ACCESS_TARGET,
            message: &message,
            fields: &access,
        };
        let mut hand = Vec::new();

        access_json(&mut hand, &access, now);

        let by_serde = serde_json::to_value(&line).unwrap();
        let by_hand: serde_json::Value = serde_json::from_slice(&hand).unwrap();
        assert_eq!(by_hand, by_serde);
        assert_eq!(by_hand["timestamp"], "2026-11-24T20:34:16.000081Z");
        assert_eq!(by_hand["duration_ms"], 12.003);
        assert!(hand.ends_with(b"}\n"));
    }
}
