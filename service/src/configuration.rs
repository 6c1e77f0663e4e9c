//! Settings and their layered, Spring-Boot-style loading.
//!
//! Later sources win (see the precedence table in README.md):
//!
//! 1. compiled defaults ([`Settings::default`])
//! 2. `<config_dir>/application.toml`, then `<config_dir>/application-<profile>.toml` per profile
//! 3. `<etc_dir>/application.toml`, then `<etc_dir>/application-<profile>.toml` per profile
//! 4. the file named by `--config` or `APP_CONFIG_FILE` (must exist)
//! 5. the JSON document in `APP_CONFIG_JSON`
//! 6. environment variables `APP_<SECTION>__<KEY>`
//!
//! Every source is checked on its own before the layers are merged, so an error names the key,
//! the bad value and the one source it came from. Nothing here reads global state: the process
//! environment and directories come in through [`Sources`], which keeps tests free of races.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use config::{Config, Environment, File, FileFormat, Map, Source, Value, ValueKind};
use serde::Deserialize;

/// Directory of the bundled configuration files, relative to the working directory.
pub const DEFAULT_CONFIG_DIR: &str = "config";
/// Directory where a container image or a Nomad `template` puts configuration files.
pub const DEFAULT_ETC_DIR: &str = "/etc/prototype-service";
/// Prefix of the environment variables that set configuration keys.
pub const ENV_PREFIX: &str = "APP_";
/// Environment variable naming an extra configuration file (like `--config`).
pub const ENV_CONFIG_FILE: &str = "APP_CONFIG_FILE";
/// Environment variable with the active profiles (like `--profile`).
pub const ENV_PROFILE: &str = "APP_PROFILE";
/// Environment variable holding a whole JSON configuration document.
pub const ENV_CONFIG_JSON: &str = "APP_CONFIG_JSON";

/// The service's settings after every layer has been applied.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub server: ServerSettings,
    pub logging: LoggingSettings,
    pub metrics: MetricsSettings,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    /// Address to bind (`0.0.0.0` in containers).
    pub host: String,
    /// TCP port; 0 asks the OS for a free port (used by the tests).
    pub port: u16,
    /// Worker threads; 0 means one per CPU.
    pub workers: usize,
    /// Grace period for in-flight requests after SIGTERM/SIGINT (below Nomad's 5 s kill_timeout).
    pub shutdown_timeout_secs: u64,
    /// Time between the stop signal and closing the listener, while `/ready` already answers
    /// 503 and requests are still served, so load balancers notice first. 0 = close at once.
    pub shutdown_delay_ms: u64,
    /// HTTP keep-alive; 0 disables keep-alive.
    pub keep_alive_secs: u64,
    /// Largest accepted request body; larger bodies get 413.
    pub max_body_bytes: usize,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".to_string(),
            port: 8001,
            workers: 0,
            shutdown_timeout_secs: 4,
            shutdown_delay_ms: 0,
            keep_alive_secs: 5,
            max_body_bytes: 262_144,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoggingSettings {
    /// off, error, warn, info, debug or trace; `RUST_LOG` overrides it.
    pub level: String,
    pub format: LogFormat,
    /// One line per request (method, path, status, bytes, duration, request id).
    pub access_log: bool,
    /// Log the bodies that `POST /echo` receives (off: bodies may hold personal data).
    pub log_bodies: bool,
}

impl Default for LoggingSettings {
    fn default() -> Self {
        Self {
            level: "info".to_string(),
            format: LogFormat::Text,
            access_log: true,
            log_bodies: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// env_logger's human-readable lines.
    Text,
    /// One JSON object per line, for Fluentd and Elasticsearch.
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsSettings {
    /// Prefix of the service's own metrics (`<namespace>_echo_requests_total`, ...).
    pub namespace: String,
}

impl Default for MetricsSettings {
    fn default() -> Self {
        Self {
            namespace: "prototype_service".to_string(),
        }
    }
}

/// What a key accepts; used to check each source before the layers are merged.
#[derive(Clone, Copy)]
enum Kind {
    Host,
    UInt { min: u64, max: u64 },
    Bool,
    OneOf(&'static [&'static str]),
    MetricPrefix,
}

const LEVELS: &[&str] = &["off", "error", "warn", "info", "debug", "trace"];
const FORMATS: &[&str] = &["text", "json"];

/// Every known key: (section, key, kind). Kept next to the structs above; a test checks that
/// the two agree.
const SCHEMA: &[(&str, &str, Kind)] = &[
    ("server", "host", Kind::Host),
    (
        "server",
        "port",
        Kind::UInt {
            min: 0,
            max: 65_535,
        },
    ),
    ("server", "workers", Kind::UInt { min: 0, max: 1_024 }),
    (
        "server",
        "shutdown_timeout_secs",
        Kind::UInt { min: 0, max: 3_600 },
    ),
    (
        "server",
        "shutdown_delay_ms",
        Kind::UInt {
            min: 0,
            max: 60_000,
        },
    ),
    (
        "server",
        "keep_alive_secs",
        Kind::UInt { min: 0, max: 3_600 },
    ),
    (
        "server",
        "max_body_bytes",
        Kind::UInt {
            min: 1,
            max: 1 << 30,
        },
    ),
    ("logging", "level", Kind::OneOf(LEVELS)),
    ("logging", "format", Kind::OneOf(FORMATS)),
    ("logging", "access_log", Kind::Bool),
    ("logging", "log_bodies", Kind::Bool),
    ("metrics", "namespace", Kind::MetricPrefix),
];

/// Where the configuration comes from. [`Sources::from_process`] fills it from the real process;
/// tests build it by hand with temporary directories and an injected environment.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Directory of `application.toml` and its profiles (default `config`, relative to the
    /// working directory, as in the original service).
    pub config_dir: PathBuf,
    /// Directory of the deployed files (default `/etc/prototype-service`).
    pub etc_dir: PathBuf,
    /// `--config FILE` from the command line (wins over `APP_CONFIG_FILE`).
    pub config_file: Option<PathBuf>,
    /// `--profile a,b` from the command line (wins over `APP_PROFILE`).
    pub profiles: Option<String>,
    /// The environment variables (only `APP_*` ones are read).
    pub env: BTreeMap<String, String>,
}

impl Sources {
    /// Sources of a real run: default directories, the given command line, the process env.
    /// Variables whose name or value is not valid Unicode are reported, not skipped silently.
    pub fn from_process(
        config_file: Option<PathBuf>,
        profiles: Option<String>,
    ) -> Result<Self, ConfigError> {
        let mut env = BTreeMap::new();
        for (key, value) in std::env::vars_os() {
            let Some(key) = key.to_str().map(str::to_owned) else {
                continue;
            };
            if !key.starts_with(ENV_PREFIX) {
                continue;
            }
            let value = value.into_string().map_err(|bad| ConfigError::Invalid {
                key: key.clone(),
                value: bad.to_string_lossy().into_owned(),
                source: format!("environment variable {key}"),
                reason: "is not valid UTF-8".to_string(),
            })?;
            env.insert(key, value);
        }
        Ok(Self {
            config_dir: PathBuf::from(DEFAULT_CONFIG_DIR),
            etc_dir: PathBuf::from(DEFAULT_ETC_DIR),
            config_file,
            profiles,
            env,
        })
    }
}

/// The result of loading: the settings and what they were made of (for the start-up log line).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub settings: Settings,
    pub profiles: Vec<String>,
    /// The sources that were found and applied, lowest precedence first.
    pub sources: Vec<String>,
}

/// A configuration problem, with enough detail for a person to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// A key has a value of the wrong type or out of range.
    Invalid {
        key: String,
        value: String,
        source: String,
        reason: String,
    },
    /// A key, section or variable that the service does not know.
    UnknownKey { key: String, source: String },
    /// A file or document that cannot be read or parsed.
    Unreadable { source: String, detail: String },
    /// A profile asked for explicitly that has no file in any configuration directory.
    UnknownProfile {
        profile: String,
        given_by: String,
        searched: Vec<PathBuf>,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid {
                key,
                value,
                source,
                reason,
            } => write!(
                f,
                "configuration error: {key} = {value:?} (from {source}) {reason}"
            ),
            Self::UnknownKey { key, source } => write!(
                f,
                "configuration error: unknown key `{key}` in {source}; known keys: {}",
                known_keys()
            ),
            Self::Unreadable { source, detail } => {
                write!(f, "configuration error: cannot read {source}: {detail}")
            }
            Self::UnknownProfile {
                profile,
                given_by,
                searched,
            } => {
                let searched: Vec<String> =
                    searched.iter().map(|p| p.display().to_string()).collect();
                write!(
                    f,
                    "configuration error: profile `{profile}` (from {given_by}) has no file; looked for {}",
                    searched.join(" and ")
                )
            }
        }
    }
}

impl std::error::Error for ConfigError {}

fn known_keys() -> String {
    let keys: Vec<String> = SCHEMA.iter().map(|(s, k, _)| format!("{s}.{k}")).collect();
    keys.join(", ")
}

/// Loads the settings from every layer, checking each source on its own first.
pub fn load(sources: &Sources) -> Result<Loaded, ConfigError> {
    let (profiles, profiles_from) = active_profiles(sources)?;
    let mut builder = Config::builder();
    let mut applied = Vec::new();

    let mut files: Vec<(PathBuf, bool)> = Vec::new();
    for dir in [&sources.config_dir, &sources.etc_dir] {
        files.push((dir.join("application.toml"), false));
        for profile in &profiles {
            files.push((dir.join(format!("application-{profile}.toml")), false));
        }
    }
    for profile in &profiles {
        let candidates: Vec<PathBuf> = [&sources.config_dir, &sources.etc_dir]
            .iter()
            .map(|dir| dir.join(format!("application-{profile}.toml")))
            .collect();
        if !candidates.iter().any(|p| p.is_file()) {
            return Err(ConfigError::UnknownProfile {
                profile: profile.clone(),
                given_by: profiles_from.clone(),
                searched: candidates,
            });
        }
    }
    let explicit_file = match &sources.config_file {
        Some(path) => Some((path.clone(), "--config".to_string())),
        None => sources
            .env
            .get(ENV_CONFIG_FILE)
            .filter(|v| !v.is_empty())
            .map(|v| (PathBuf::from(v), ENV_CONFIG_FILE.to_string())),
    };
    if let Some((path, _)) = &explicit_file {
        files.push((path.clone(), true));
    }

    for (path, required) in files {
        let Some(text) = read_file(&path, required, explicit_file.as_ref())? else {
            continue;
        };
        let label = path.display().to_string();
        let format = if path.extension().is_some_and(|e| e == "json") {
            FileFormat::Json
        } else {
            FileFormat::Toml
        };
        let file = File::from_str(&text, format);
        check_source(&file, &label)?;
        builder = builder.add_source(file);
        applied.push(label);
    }

    if let Some(json) = sources.env.get(ENV_CONFIG_JSON).filter(|v| !v.is_empty()) {
        let doc = File::from_str(json, FileFormat::Json);
        check_source(&doc, ENV_CONFIG_JSON)?;
        builder = builder.add_source(doc);
        applied.push(ENV_CONFIG_JSON.to_string());
    }

    let vars = config_env_vars(&sources.env)?;
    if !vars.is_empty() {
        let names: Vec<&str> = vars.keys().map(String::as_str).collect();
        applied.push(format!("environment ({})", names.join(", ")));
        builder = builder.add_source(
            Environment::with_prefix("APP")
                .prefix_separator("_")
                .separator("__")
                .source(Some(vars.into_iter().collect::<Map<String, String>>())),
        );
    }

    let settings = builder
        .build()
        .and_then(|c| c.try_deserialize::<Settings>())
        .map_err(|e| ConfigError::Unreadable {
            source: "the merged configuration".to_string(),
            detail: e.to_string(),
        })?;
    Ok(Loaded {
        settings,
        profiles,
        sources: applied,
    })
}

/// The active profiles and who asked for them (`--profile` wins over `APP_PROFILE`).
fn active_profiles(sources: &Sources) -> Result<(Vec<String>, String), ConfigError> {
    let (raw, from) = match &sources.profiles {
        Some(p) => (p.as_str(), "--profile"),
        None => match sources.env.get(ENV_PROFILE) {
            Some(p) => (p.as_str(), ENV_PROFILE),
            None => return Ok((Vec::new(), String::new())),
        },
    };
    let mut profiles: Vec<String> = Vec::new();
    for name in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let valid = name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid {
            return Err(ConfigError::Invalid {
                key: "profile".to_string(),
                value: name.to_string(),
                source: from.to_string(),
                reason: "must contain only letters, digits, '-' and '_'".to_string(),
            });
        }
        if !profiles.iter().any(|p| p == name) {
            profiles.push(name.to_string());
        }
    }
    Ok((profiles, from.to_string()))
}

/// Reads a configuration file. Optional files may be missing; anything else is an error.
fn read_file(
    path: &Path,
    required: bool,
    explicit: Option<&(PathBuf, String)>,
) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Ok(None),
        Err(e) => {
            let given = match explicit {
                Some((p, how)) if required && p == path => format!(" (given by {how})"),
                _ => String::new(),
            };
            Err(ConfigError::Unreadable {
                source: format!("{}{given}", path.display()),
                detail: e.to_string(),
            })
        }
    }
}

/// The `APP_<SECTION>__<KEY>` variables, checked: any other `APP_*` name is an error (a typo such
/// as `APP_SERVER_PORT` would otherwise be ignored without a word).
fn config_env_vars(
    env: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut vars = BTreeMap::new();
    for (name, value) in env {
        let Some(rest) = name.strip_prefix(ENV_PREFIX) else {
            continue;
        };
        if [ENV_CONFIG_FILE, ENV_PROFILE, ENV_CONFIG_JSON].contains(&name.as_str()) {
            continue;
        }
        let source = format!("environment variable {name}");
        let lower = rest.to_ascii_lowercase();
        let Some((section, key)) = lower.split_once("__") else {
            return Err(ConfigError::UnknownKey {
                key: name.clone(),
                source: format!("{source} (expected APP_<SECTION>__<KEY>, e.g. APP_SERVER__PORT)"),
            });
        };
        let dotted = format!("{section}.{key}");
        let Some(kind) = kind_of(section, key) else {
            return Err(ConfigError::UnknownKey {
                key: dotted,
                source,
            });
        };
        check_value(&dotted, &Value::new(None, value.clone()), kind, &source)?;
        vars.insert(name.clone(), value.clone());
    }
    Ok(vars)
}

fn kind_of(section: &str, key: &str) -> Option<Kind> {
    SCHEMA
        .iter()
        .find(|(s, k, _)| *s == section && *k == key)
        .map(|(_, _, kind)| *kind)
}

/// Checks one file or document: it parses, every key is known, every value fits.
fn check_source(source: &dyn Source, label: &str) -> Result<(), ConfigError> {
    let map = source.collect().map_err(|e| ConfigError::Unreadable {
        source: label.to_string(),
        detail: e.to_string(),
    })?;
    for (section, value) in &map {
        if !SCHEMA.iter().any(|(s, _, _)| s == section) {
            return Err(ConfigError::UnknownKey {
                key: section.clone(),
                source: label.to_string(),
            });
        }
        let ValueKind::Table(table) = &value.kind else {
            return Err(ConfigError::Invalid {
                key: section.clone(),
                value: value.to_string(),
                source: label.to_string(),
                reason: "must be a table of keys (e.g. [server] in TOML)".to_string(),
            });
        };
        for (key, value) in table {
            let dotted = format!("{section}.{key}");
            let Some(kind) = kind_of(section, key) else {
                return Err(ConfigError::UnknownKey {
                    key: dotted,
                    source: label.to_string(),
                });
            };
            check_value(&dotted, value, kind, label)?;
        }
    }
    Ok(())
}

fn check_value(key: &str, value: &Value, kind: Kind, source: &str) -> Result<(), ConfigError> {
    let fail = |reason: String| ConfigError::Invalid {
        key: key.to_string(),
        value: value.to_string(),
        source: source.to_string(),
        reason,
    };
    match kind {
        Kind::UInt { min, max } => {
            let range = || format!("must be a whole number from {min} to {max}");
            let n: Option<i128> = match &value.kind {
                ValueKind::I64(n) => Some(i128::from(*n)),
                ValueKind::U64(n) => Some(i128::from(*n)),
                ValueKind::I128(n) => Some(*n),
                ValueKind::U128(n) => i128::try_from(*n).ok(),
                ValueKind::String(s) => s.trim().parse::<i128>().ok(),
                _ => None,
            };
            match n {
                Some(n) if n >= i128::from(min) && n <= i128::from(max) => Ok(()),
                _ => Err(fail(range())),
            }
        }
        Kind::Bool => match &value.kind {
            ValueKind::Boolean(_) => Ok(()),
            ValueKind::String(s) if s == "true" || s == "false" => Ok(()),
            _ => Err(fail("must be true or false".to_string())),
        },
        Kind::OneOf(allowed) => match &value.kind {
            ValueKind::String(s) if allowed.contains(&s.as_str()) => Ok(()),
            _ => Err(fail(format!("must be one of: {}", allowed.join(", ")))),
        },
        Kind::Host => match &value.kind {
            ValueKind::String(s)
                if !s.is_empty()
                    && s.len() <= 253
                    && s.bytes().all(|b| b.is_ascii_graphic() && b != b'/') =>
            {
                Ok(())
            }
            _ => Err(fail(
                "must be an IP address or host name (e.g. 127.0.0.1 or 0.0.0.0)".to_string(),
            )),
        },
        Kind::MetricPrefix => match &value.kind {
            ValueKind::String(s) if is_metric_prefix(s) => Ok(()),
            _ => Err(fail(
                "must match [a-zA-Z_][a-zA-Z0-9_]* (a Prometheus metric name prefix)".to_string(),
            )),
        },
    }
}

fn is_metric_prefix(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bare_sources(env: &[(&str, &str)]) -> Sources {
        let missing = PathBuf::from("/nonexistent/prototype-service-test");
        Sources {
            config_dir: missing.clone(),
            etc_dir: missing,
            config_file: None,
            profiles: None,
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn schema_lists_exactly_the_fields_of_settings() {
        // Every schema key set through the environment must deserialize into Settings, and
        // Settings must not accept a key that the schema does not list.
        for (section, key, kind) in SCHEMA {
            let value = match kind {
                Kind::Host => "localhost",
                Kind::UInt { min, .. } if *min == 1 => "1",
                Kind::UInt { .. } => "0",
                Kind::Bool => "true",
                Kind::OneOf(v) => v[0],
                Kind::MetricPrefix => "x",
            };
            let name = format!("APP_{}__{}", section.to_uppercase(), key.to_uppercase());
            load(&bare_sources(&[(name.as_str(), value)]))
                .unwrap_or_else(|e| panic!("{name}={value}: {e}"));
        }
        let field_count = 7 + 4 + 1;
        assert_eq!(SCHEMA.len(), field_count);
    }

    #[test]
    fn defaults_apply_when_no_source_exists() {
        let loaded = load(&bare_sources(&[])).expect("defaults load");
        assert_eq!(loaded.settings, Settings::default());
        assert!(loaded.sources.is_empty());
    }

    #[test]
    fn misspelt_environment_variable_is_an_error() {
        let err = load(&bare_sources(&[("APP_SERVER_PORT", "1")])).unwrap_err();
        assert!(err.to_string().contains("APP_SERVER_PORT"), "{err}");
    }
}
