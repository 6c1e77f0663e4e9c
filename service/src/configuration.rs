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
//! The serde types below are the one schema: their fields are the known keys and their types
//! the accepted types; [`Settings::validate`] adds the ranges and choices. Every source is
//! checked on its own (over the defaults) before the layers are merged, so an error names the
//! key, the bad value and the one source it came from. Nothing here reads global state: the
//! process environment and directories come in through [`Sources`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use config::{Config, Environment, File, FileFormat, Map, Source, Value, ValueKind};
use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub server: ServerSettings,
    pub logging: LoggingSettings,
    pub metrics: MetricsSettings,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// env_logger's human-readable lines.
    Text,
    /// One JSON object per line, for Fluentd and Elasticsearch.
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// What one key accepts beyond its type, and whether the current value does.
struct Rule {
    key: &'static str,
    value: String,
    ok: bool,
    /// Also the message for a value of the wrong type.
    requirement: String,
}

impl Rule {
    fn new(
        key: &'static str,
        value: impl ToString,
        ok: bool,
        requirement: impl Into<String>,
    ) -> Self {
        let (value, requirement) = (value.to_string(), requirement.into());
        Self {
            key,
            value,
            ok,
            requirement,
        }
    }

    fn whole(key: &'static str, value: u64, min: u64, max: u64) -> Self {
        let requirement = format!("must be a whole number from {min} to {max}");
        Self::new(key, value, (min..=max).contains(&value), requirement)
    }

    fn one_of(key: &'static str, value: &str, allowed: &[&str]) -> Self {
        let requirement = format!("must be one of: {}", allowed.join(", "));
        Self::new(key, value, allowed.contains(&value), requirement)
    }

    fn flag(key: &'static str, value: bool) -> Self {
        Self::new(key, value, true, "must be true or false")
    }
}

impl Settings {
    /// Checks what the types do not: ranges, choices and formats. Names the first bad key.
    pub fn validate(&self) -> Result<(), Invalid> {
        match self.rules().into_iter().find(|rule| !rule.ok) {
            None => Ok(()),
            Some(rule) => Err(Invalid {
                key: rule.key.to_string(),
                value: rule.value,
                reason: rule.requirement,
            }),
        }
    }

    /// One rule per key, in the order of the fields.
    fn rules(&self) -> [Rule; 12] {
        let (s, l) = (&self.server, &self.logging);
        let host_ok = !s.host.is_empty()
            && s.host.len() <= 253
            && s.host.bytes().all(|b| b.is_ascii_graphic() && b != b'/');
        let ns = &self.metrics.namespace;
        let ns_ok = ns.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && ns.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        let format = serde_json::to_value(l.format).unwrap_or_default();
        [
            Rule::new(
                "server.host",
                &s.host,
                host_ok,
                "must be an IP address or host name (e.g. 127.0.0.1 or 0.0.0.0)",
            ),
            Rule::whole("server.port", s.port.into(), 0, 65_535),
            Rule::whole("server.workers", s.workers as u64, 0, 1_024),
            Rule::whole(
                "server.shutdown_timeout_secs",
                s.shutdown_timeout_secs,
                0,
                3_600,
            ),
            Rule::whole("server.shutdown_delay_ms", s.shutdown_delay_ms, 0, 60_000),
            Rule::whole("server.keep_alive_secs", s.keep_alive_secs, 0, 3_600),
            Rule::whole("server.max_body_bytes", s.max_body_bytes as u64, 1, 1 << 30),
            Rule::one_of(
                "logging.level",
                &l.level,
                &["off", "error", "warn", "info", "debug", "trace"],
            ),
            Rule::one_of(
                "logging.format",
                format.as_str().unwrap_or_default(),
                &["text", "json"],
            ),
            Rule::flag("logging.access_log", l.access_log),
            Rule::flag("logging.log_bodies", l.log_bodies),
            Rule::new(
                "metrics.namespace",
                ns,
                ns_ok,
                "must match [a-zA-Z_][a-zA-Z0-9_]* (a Prometheus metric name prefix)",
            ),
        ]
    }
}

/// A value that [`Settings::validate`] refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub key: String,
    pub value: String,
    pub reason: String,
}

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
            let Some(key) = key.to_str().filter(|k| k.starts_with(ENV_PREFIX)) else {
                continue;
            };
            let value = value.into_string().map_err(|bad| ConfigError::Invalid {
                key: key.to_string(),
                value: bad.to_string_lossy().into_owned(),
                source: format!("environment variable {key}"),
                reason: "is not valid UTF-8".to_string(),
            })?;
            env.insert(key.to_string(), value);
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
        f.write_str("configuration error: ")?;
        match self {
            Self::Invalid {
                key,
                value,
                source,
                reason,
            } => write!(f, "{key} = {value:?} (from {source}) {reason}"),
            Self::UnknownKey { key, source } => {
                let known: Vec<String> = Settings::default().rules().map(|r| r.key.into()).into();
                write!(
                    f,
                    "unknown key `{key}` in {source}; known keys: {}",
                    known.join(", ")
                )
            }
            Self::Unreadable { source, detail } => write!(f, "cannot read {source}: {detail}"),
            Self::UnknownProfile {
                profile,
                given_by,
                searched,
            } => {
                let searched: Vec<String> =
                    searched.iter().map(|p| p.display().to_string()).collect();
                write!(
                    f,
                    "profile `{profile}` (from {given_by}) has no file; looked for {}",
                    searched.join(" and ")
                )
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// Loads the settings from every layer, checking each source on its own first.
pub fn load(sources: &Sources) -> Result<Loaded, ConfigError> {
    let (profiles, profiles_from) = active_profiles(sources)?;
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

    let mut layers: Vec<(Box<dyn Source + Send + Sync>, String)> = Vec::new();
    for dir in [&sources.config_dir, &sources.etc_dir] {
        let names = std::iter::once("application.toml".to_string())
            .chain(profiles.iter().map(|p| format!("application-{p}.toml")));
        for path in names.map(|name| dir.join(name)) {
            if let Some(file) = read_file(&path, None)? {
                layers.push((Box::new(file), path.display().to_string()));
            }
        }
    }
    let explicit = match &sources.config_file {
        Some(path) => Some((path.clone(), "--config")),
        None => sources
            .env
            .get(ENV_CONFIG_FILE)
            .filter(|v| !v.is_empty())
            .map(|v| (PathBuf::from(v), ENV_CONFIG_FILE)),
    };
    if let Some((path, given_by)) = explicit {
        if let Some(file) = read_file(&path, Some(given_by))? {
            layers.push((Box::new(file), path.display().to_string()));
        }
    }
    if let Some(json) = sources.env.get(ENV_CONFIG_JSON).filter(|v| !v.is_empty()) {
        let doc = File::from_str(json, FileFormat::Json);
        layers.push((Box::new(doc), ENV_CONFIG_JSON.to_string()));
    }
    let mut vars = Vec::new();
    for (name, value) in &sources.env {
        if name.starts_with(ENV_PREFIX)
            && ![ENV_CONFIG_FILE, ENV_PROFILE, ENV_CONFIG_JSON].contains(&name.as_str())
        {
            layers.push((env_var(name, value), format!("environment variable {name}")));
            vars.push(name.as_str());
        }
    }

    let mut builder = Config::builder();
    let mut applied = Vec::new();
    for (layer, label) in layers {
        check_source(layer.as_ref(), &label)?;
        builder = builder.add_source(vec![layer]);
        if !label.starts_with("environment variable") {
            applied.push(label);
        }
    }
    if !vars.is_empty() {
        applied.push(format!("environment ({})", vars.join(", ")));
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

/// Checks one configuration file on its own, as `--check-config FILE` does.
pub fn check_file(path: &Path) -> Result<(), ConfigError> {
    match read_file(path, Some("--check-config"))? {
        Some(file) => check_source(&file, &path.display().to_string()),
        None => unreachable!("read_file reports a missing required file"),
    }
}

/// One `APP_<SECTION>__<KEY>` variable as a source of its own.
fn env_var(name: &str, value: &str) -> Box<dyn Source + Send + Sync> {
    let single: Map<String, String> = [(name.to_string(), value.to_string())].into();
    Box::new(
        Environment::with_prefix("APP")
            .prefix_separator("_")
            .separator("__")
            .source(Some(single)),
    )
}

/// The active profiles and who asked for them (`--profile` wins over `APP_PROFILE`).
fn active_profiles(sources: &Sources) -> Result<(Vec<String>, String), ConfigError> {
    let (raw, from) = match (&sources.profiles, sources.env.get(ENV_PROFILE)) {
        (Some(p), _) => (p.as_str(), "--profile"),
        (None, Some(p)) => (p.as_str(), ENV_PROFILE),
        (None, None) => return Ok((Vec::new(), String::new())),
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

/// Reads a configuration file (TOML, or JSON when the name ends in `.json`). A file without
/// `given_by` is optional and may be missing; anything else is an error.
fn read_file(
    path: &Path,
    given_by: Option<&str>,
) -> Result<Option<File<config::FileSourceString, FileFormat>>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && given_by.is_none() => {
            return Ok(None)
        }
        Err(e) => {
            let given = given_by.map(|how| format!(" (given by {how})"));
            return Err(ConfigError::Unreadable {
                source: format!("{}{}", path.display(), given.unwrap_or_default()),
                detail: e.to_string(),
            });
        }
    };
    let format = if path.extension().is_some_and(|e| e == "json") {
        FileFormat::Json
    } else {
        FileFormat::Toml
    };
    Ok(Some(File::from_str(&text, format)))
}

/// Checks one source over the defaults: it parses, every key is known, every value has the
/// type of its field (strictly: the `config` crate alone would read `true` as a port) and passes
/// [`Settings::validate`].
fn check_source(source: &dyn Source, label: &str) -> Result<(), ConfigError> {
    let unreadable = |e: config::ConfigError| ConfigError::Unreadable {
        source: label.to_string(),
        detail: e.to_string(),
    };
    let tree = Config::builder()
        .add_source(vec![source.clone_into_box()])
        .build()
        .and_then(|c| c.collect())
        .map_err(unreadable)?;
    let defaults = serde_json::to_value(Settings::default()).unwrap_or_default();
    let mut values = Vec::new();
    for (section, table) in &tree {
        let Some(known) = defaults.get(section) else {
            return Err(unknown_key(section, label));
        };
        let ValueKind::Table(table) = &table.kind else {
            let reason = "must be a table of keys (e.g. [server] in TOML)";
            return Err(invalid(section, table, label, reason));
        };
        for (key, value) in table {
            let dotted = format!("{section}.{key}");
            let Some(default) = known.get(key) else {
                return Err(unknown_key(&dotted, label));
            };
            if !same_type(&value.kind, default) {
                return Err(wrong_type(dotted, value, label));
            }
            values.push((dotted, value.clone()));
        }
    }
    let settings = Config::builder()
        .add_source(Config::try_from(&Settings::default()).map_err(unreadable)?)
        .add_source(vec![source.clone_into_box()])
        .build()
        .and_then(|c| c.try_deserialize::<Settings>());
    let settings = match settings {
        Ok(settings) => settings,
        // A number out of its type's range (a negative port, say) or an unknown log format.
        Err(config::ConfigError::Type { key: Some(key), .. })
        | Err(config::ConfigError::At { key: Some(key), .. }) => {
            return Err(match values.into_iter().find(|(k, _)| *k == key) {
                Some((key, value)) => wrong_type(key, &value, label),
                None => unreadable(config::ConfigError::Message(format!("bad value for {key}"))),
            })
        }
        Err(e) => return Err(unreadable(e)),
    };
    settings.validate().map_err(|e| ConfigError::Invalid {
        key: e.key,
        value: e.value,
        source: label.to_string(),
        reason: e.reason,
    })
}

/// Whether a value can be its field's type: the default's JSON type; environment variables are
/// always strings, so a string may also spell a number or a boolean.
fn same_type(value: &ValueKind, default: &serde_json::Value) -> bool {
    use serde_json::Value as Json;
    match (value, default) {
        (ValueKind::String(_), Json::String(_)) | (ValueKind::Boolean(_), Json::Bool(_)) => true,
        (ValueKind::I64(_) | ValueKind::U64(_), Json::Number(_)) => true,
        (ValueKind::String(s), Json::Number(_)) => s.parse::<i128>().is_ok(),
        (ValueKind::String(s), Json::Bool(_)) => s == "true" || s == "false",
        _ => false,
    }
}

/// A value of the wrong type, explained by the requirement of its key's rule.
fn wrong_type(key: String, value: &Value, label: &str) -> ConfigError {
    let rules = Settings::default().rules();
    let reason = rules
        .iter()
        .find(|r| r.key == key)
        .map(|r| r.requirement.as_str());
    invalid(&key, value, label, reason.unwrap_or("has the wrong type"))
}

fn unknown_key(key: &str, label: &str) -> ConfigError {
    ConfigError::UnknownKey {
        key: key.to_string(),
        source: label.to_string(),
    }
}

fn invalid(key: &str, value: &Value, label: &str, reason: &str) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_string(),
        value: value.to_string(),
        source: label.to_string(),
        reason: reason.to_string(),
    }
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
    fn every_field_has_one_rule_and_defaults_pass_them() {
        let fields = serde_json::to_value(Settings::default()).unwrap();
        let mut keys: Vec<String> = Vec::new();
        for (section, table) in fields.as_object().unwrap() {
            for key in table.as_object().unwrap().keys() {
                keys.push(format!("{section}.{key}"));
            }
        }
        let mut rules: Vec<String> = Settings::default().rules().map(|r| r.key.into()).into();
        keys.sort();
        rules.sort();
        assert_eq!(keys, rules);
        assert_eq!(Settings::default().validate(), Ok(()));
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

    #[test]
    fn out_of_range_values_name_the_range() {
        let err = load(&bare_sources(&[("APP_SERVER__WORKERS", "2000")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "configuration error: server.workers = \"2000\" (from environment variable \
             APP_SERVER__WORKERS) must be a whole number from 0 to 1024"
        );
    }
}
