//! Logging through env_logger, as text or as one JSON object per line, into a buffered stdout.
//!
//! Trade-off: log lines are appended to an in-memory buffer that a background thread writes to
//! stdout [`FLUSH_INTERVAL`] after the first unwritten line (or at once when the buffer passes
//! [`URGENT_BYTES`]). Under load this turns one `write(2)` per request into one per batch. A clean
//! exit, a panic and every start-up message flush explicitly ([`flush_logs`]), so nothing is lost
//! then; a `SIGKILL` can lose at most the last [`FLUSH_INTERVAL`] of lines.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use env_logger::fmt::Formatter;
use log::kv::{self, VisitSource};
use log::Record;

use crate::configuration::{LogFormat, LoggingSettings};

/// Target of the access-log lines (filter them with `RUST_LOG=prototype_service::access=off`).
pub const ACCESS_TARGET: &str = "prototype_service::access";
/// Longest time a line waits in the buffer.
pub const FLUSH_INTERVAL: Duration = Duration::from_millis(100);
/// Buffer size that makes the writer thread flush without waiting for the interval.
pub const URGENT_BYTES: usize = 64 * 1024;
/// Buffer size at which the logging thread itself writes (back-pressure when stdout is slow).
const BLOCKING_BYTES: usize = 4 * 1024 * 1024;

struct Sink {
    /// Lines not yet written.
    pending: Mutex<Vec<u8>>,
    /// Signalled when `pending` goes from empty to non-empty or passes `URGENT_BYTES`.
    wake: Condvar,
    /// Held while writing to stdout, so batches come out in order; taken before `pending`.
    output: Mutex<Vec<u8>>,
}

static SINK: OnceLock<Sink> = OnceLock::new();

/// Set once [`init_logging`] has installed the JSON format.
static JSON_ACTIVE: AtomicBool = AtomicBool::new(false);

fn sink() -> &'static Sink {
    SINK.get_or_init(|| Sink {
        pending: Mutex::new(Vec::with_capacity(8 * 1024)),
        wake: Condvar::new(),
        output: Mutex::new(Vec::with_capacity(8 * 1024)),
    })
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Sink {
    /// Moves the pending lines to stdout. Write errors (a closed stdout) are ignored: a logger
    /// has nowhere to report them.
    fn write_out(&self) {
        let mut out = lock(&self.output);
        {
            let mut pending = lock(&self.pending);
            if pending.is_empty() {
                return;
            }
            std::mem::swap(&mut *pending, &mut *out);
        }
        let stdout = io::stdout();
        let mut stdout = stdout.lock();
        let _ = stdout.write_all(&out);
        let _ = stdout.flush();
        out.clear();
        if out.capacity() > BLOCKING_BYTES {
            out.shrink_to(URGENT_BYTES * 2);
        }
    }

    fn run_flusher(&self) {
        loop {
            {
                let pending = lock(&self.pending);
                let pending = self
                    .wake
                    .wait_while(pending, |p| p.is_empty())
                    .unwrap_or_else(|p| p.into_inner());
                let _ = self
                    .wake
                    .wait_timeout_while(pending, FLUSH_INTERVAL, |p| p.len() < URGENT_BYTES);
            }
            self.write_out();
        }
    }
}

/// The `io::Write` that env_logger writes each formatted record to. env_logger calls `flush`
/// after every record; that is exactly the syscall per line this sink exists to avoid, so
/// `flush` is a no-op here and the flusher thread does the writing.
struct SinkWriter;

impl Sink {
    fn append(&self, buf: &[u8]) {
        let mut pending = lock(&self.pending);
        let before = pending.len();
        pending.extend_from_slice(buf);
        let after = pending.len();
        drop(pending);
        self.after_append(before, after);
    }

    /// Wakes the flusher only on the transitions that matter (a notify is a syscall).
    fn after_append(&self, before: usize, after: usize) {
        if after >= BLOCKING_BYTES {
            self.write_out();
        } else if before == 0 || (before < URGENT_BYTES && after >= URGENT_BYTES) {
            self.wake.notify_one();
        }
    }
}

impl Write for SinkWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        sink().append(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes every buffered log line to stdout now. Called after start-up, at exit and on panic.
pub fn flush_logs() {
    if let Some(sink) = SINK.get() {
        sink.write_out();
    }
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
        LogFormat::Text => {
            builder.format_timestamp_millis();
        }
        LogFormat::Json => {
            builder.format(format_json);
        }
    }
    builder.try_init()?;
    JSON_ACTIVE.store(settings.format == LogFormat::Json, Ordering::Relaxed);

    let flusher = std::thread::Builder::new()
        .name("log-flusher".to_string())
        .stack_size(64 * 1024)
        .spawn(|| sink().run_flusher());
    if flusher.is_err() {
        log::warn!("cannot start the log flusher thread: logs are written at exit or every 1 MiB");
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        flush_logs();
        previous(info);
    }));
    Ok(())
}

/// True when [`init_logging`] installed the JSON format (so [`write_access_json`] may be used).
pub fn json_logging_active() -> bool {
    JSON_ACTIVE.load(Ordering::Relaxed)
}

/// The fields of one access-log line.
pub struct AccessLine<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
    pub bytes: u64,
    pub micros: u64,
    pub request_id: &'a str,
}

thread_local! {
    /// The formatted `YYYY-MM-DDTHH:MM:SS` of the current second, per worker thread.
    static DATE: std::cell::Cell<(u64, [u8; 19])> = const { std::cell::Cell::new((u64::MAX, [0; 19])) };
}

/// Writes one access line in JSON, the same object [`format_json`] makes for a log record with
/// these key-values, but without going through `log`/env_logger: this runs once per request,
/// so the line is built straight into the sink's buffer under its lock, with a per-second
/// cached date and no `fmt` machinery. The caller checks first that the access target is
/// enabled at info ([`json_logging_active`] and `log::log_enabled!`). `method` and
/// `request_id` must not need JSON escaping (HTTP tokens and checked ids do not).
pub fn write_access_json(line: &AccessLine<'_>) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs();
    let date = DATE.with(|cell| {
        let (cached, mut text) = cell.get();
        if cached != secs {
            format_utc_seconds(secs, &mut text);
            cell.set((secs, text));
        }
        text
    });
    let sink = sink();
    let mut buf = lock(&sink.pending);
    let before = buf.len();
    buf.extend_from_slice(b"{\"timestamp\":\"");
    buf.extend_from_slice(&date);
    buf.push(b'.');
    push_padded(&mut buf, u64::from(now.subsec_micros()), 6);
    buf.extend_from_slice(b"Z\",\"level\":\"INFO\",\"target\":\"");
    buf.extend_from_slice(ACCESS_TARGET.as_bytes());
    buf.extend_from_slice(b"\",\"message\":\"");
    buf.extend_from_slice(line.method.as_bytes());
    buf.push(b' ');
    let path_start = buf.len();
    push_escaped(&mut buf, line.path);
    let path_end = buf.len();
    buf.push(b' ');
    push_u64(&mut buf, u64::from(line.status));
    buf.extend_from_slice(b"\",\"method\":\"");
    buf.extend_from_slice(line.method.as_bytes());
    buf.extend_from_slice(b"\",\"path\":\"");
    buf.extend_from_within(path_start..path_end);
    buf.extend_from_slice(b"\",\"status\":");
    push_u64(&mut buf, u64::from(line.status));
    buf.extend_from_slice(b",\"bytes\":");
    push_u64(&mut buf, line.bytes);
    buf.extend_from_slice(b",\"duration_ms\":");
    push_u64(&mut buf, line.micros / 1000);
    buf.push(b'.');
    push_padded(&mut buf, line.micros % 1000, 3);
    buf.extend_from_slice(b",\"request_id\":\"");
    buf.extend_from_slice(line.request_id.as_bytes());
    buf.extend_from_slice(b"\"}\n");
    let after = buf.len();
    drop(buf);
    sink.after_append(before, after);
}

fn push_u64(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

fn push_padded(buf: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut n = n;
    for d in digits[..width].iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
    buf.extend_from_slice(&digits[..width]);
}

fn push_escaped(buf: &mut Vec<u8>, s: &str) {
    if s.bytes()
        .all(|b| b >= 0x20 && b != b'"' && b != b'\\' && b != 0x7f)
    {
        buf.extend_from_slice(s.as_bytes());
    } else {
        // Writing to a Vec cannot fail.
        let _ = escape_into(buf, s);
    }
}

/// `YYYY-MM-DDTHH:MM:SS` (UTC) of a Unix time, by the civil-from-days algorithm.
fn format_utc_seconds(secs: u64, out: &mut [u8; 19]) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (hour, minute, second) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut v = Vec::with_capacity(19);
    push_padded(&mut v, year.clamp(0, 9999) as u64, 4);
    v.push(b'-');
    push_padded(&mut v, month as u64, 2);
    v.push(b'-');
    push_padded(&mut v, day as u64, 2);
    v.push(b'T');
    push_padded(&mut v, hour, 2);
    v.push(b':');
    push_padded(&mut v, minute, 2);
    v.push(b':');
    push_padded(&mut v, second, 2);
    out.copy_from_slice(&v);
}

/// One JSON object per line: timestamp, level, target, message, then the record's key-values
/// (the access log's method, path, status, bytes, duration_ms, request_id).
fn format_json(buf: &mut Formatter, record: &Record<'_>) -> io::Result<()> {
    let ts = buf.timestamp_micros();
    write!(buf, "{{\"timestamp\":\"{ts}\",\"level\":\"")?;
    buf.write_all(record.level().as_str().as_bytes())?;
    buf.write_all(b"\",\"target\":")?;
    write_json_str(buf, record.target())?;
    buf.write_all(b",\"message\":")?;
    match record.args().as_str() {
        Some(s) => write_json_str(buf, s)?,
        None => {
            buf.write_all(b"\"")?;
            let mut esc = JsonEscaper {
                out: buf,
                err: None,
            };
            if fmt::write(&mut esc, *record.args()).is_err() {
                return Err(esc
                    .err
                    .unwrap_or_else(|| io::Error::other("formatting a log message failed")));
            }
            buf.write_all(b"\"")?;
        }
    }
    let mut visitor = JsonFields {
        out: buf,
        err: None,
    };
    if record.key_values().visit(&mut visitor).is_err() || visitor.err.is_some() {
        return Err(visitor
            .err
            .unwrap_or_else(|| io::Error::other("writing log fields failed")));
    }
    buf.write_all(b"}\n")
}

/// Writes `s` as a JSON string literal (quotes included).
pub fn write_json_str<W: Write + ?Sized>(out: &mut W, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    escape_into(out, s)?;
    out.write_all(b"\"")
}

fn escape_into<W: Write + ?Sized>(out: &mut W, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f | 0x7f => b"",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        if escaped.is_empty() {
            write!(out, "\\u{b:04x}")?;
        } else {
            out.write_all(escaped)?;
        }
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

/// Adapts `fmt::Arguments` to JSON string content without an intermediate `String`.
struct JsonEscaper<'a, W: Write + ?Sized> {
    out: &'a mut W,
    err: Option<io::Error>,
}

impl<W: Write + ?Sized> fmt::Write for JsonEscaper<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        escape_into(self.out, s).map_err(|e| {
            self.err = Some(e);
            fmt::Error
        })
    }
}

struct JsonFields<'a, W: Write + ?Sized> {
    out: &'a mut W,
    err: Option<io::Error>,
}

impl<W: Write + ?Sized> JsonFields<'_, W> {
    fn field(&mut self, key: &str, value: &kv::Value<'_>) -> io::Result<()> {
        self.out.write_all(b",")?;
        write_json_str(self.out, key)?;
        self.out.write_all(b":")?;
        if let Some(n) = value.to_u64() {
            write!(self.out, "{n}")
        } else if let Some(n) = value.to_i64() {
            write!(self.out, "{n}")
        } else if let Some(b) = value.to_bool() {
            write!(self.out, "{b}")
        } else if let Some(s) = value.to_borrowed_str() {
            write_json_str(self.out, s)
        } else if let Some(f) = value.to_f64().filter(|f| f.is_finite()) {
            write!(self.out, "{f}")
        } else {
            self.out.write_all(b"\"")?;
            let mut esc = JsonEscaper {
                out: &mut *self.out,
                err: None,
            };
            let result = fmt::write(&mut esc, format_args!("{value}"));
            if let Some(e) = esc.err {
                return Err(e);
            }
            result.map_err(|_| io::Error::other("formatting a log field failed"))?;
            self.out.write_all(b"\"")
        }
    }
}

impl<'kvs, W: Write + ?Sized> VisitSource<'kvs> for JsonFields<'_, W> {
    fn visit_pair(&mut self, key: kv::Key<'kvs>, value: kv::Value<'kvs>) -> Result<(), kv::Error> {
        self.field(key.as_str(), &value).map_err(|e| {
            self.err = Some(e);
            kv::Error::msg("writing a log field failed")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_seconds_format_matches_known_dates() {
        let mut out = [0u8; 19];
        for (secs, text) in [
            (0, "1970-01-01T00:00:00"),
            (951_782_400, "2000-02-29T00:00:00"),
            (1_795_552_456, "2026-11-24T20:34:16"),
            (4_107_542_399, "2100-02-28T23:59:59"),
        ] {
            format_utc_seconds(secs, &mut out);
            assert_eq!(std::str::from_utf8(&out).unwrap(), text);
        }
    }

    #[test]
    fn numbers_are_written_without_fmt() {
        let mut buf = Vec::new();
        push_u64(&mut buf, 0);
        buf.push(b' ');
        push_u64(&mut buf, 18_446_744_073_709_551_615);
        buf.push(b' ');
        push_padded(&mut buf, 81, 3);
        assert_eq!(buf, b"0 18446744073709551615 081");
    }

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls() {
        let mut out = Vec::new();
        write_json_str(&mut out, "a\"b\\c\nd\u{1}é").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#""a\"b\\c\nd\u0001é""#);
    }
}
