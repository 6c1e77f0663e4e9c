//! Settings and their layered loading (the precedence table is in README.md).
//!
//! Each source becomes a JSON tree (TOML files by `toml`, JSON by serde_json, one
//! `APP_<SECTION>__<KEY>` variable as a one-key tree) and is checked on its own over the
//! defaults, so an error names the key, the bad value and the one source it came from; then the
//! trees are merged over the defaults and deserialized. The serde types are the one schema;
//! [`Settings::validate`] adds ranges and choices. The process environment and directories come
//! in through [`Sources`], so tests need no global state.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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

/// The compiled defaults: config/application.toml, built into the binary, so that the bundled
/// file and the defaults cannot disagree (README.md, "Keys", describes each key and its range).
const DEFAULTS: &str = include_str!("../config/application.toml");

/// The service's settings after every layer has been applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub logging: LoggingSettings,
    pub metrics: MetricsSettings,
}

impl Default for Settings {
    fn default() -> Self {
        toml::from_str(DEFAULTS)
            .expect("config/application.toml sets every key (the tests load it)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub workers: usize,
    pub shutdown_timeout_secs: u64,
    pub shutdown_delay_ms: u64,
    pub keep_alive_secs: u64,
    pub max_body_bytes: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggingSettings {
    pub level: String,
    pub format: LogFormat,
    pub access_log: bool,
    pub log_bodies: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    pub namespace: String,
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
    /// Checks what the types do not: ranges, choices and formats. Names the first bad key and
    /// `origin`, the source its value came from.
    pub fn validate(&self, origin: &str) -> Result<(), ConfigError> {
        match self.rules().into_iter().find(|rule| !rule.ok) {
            None => Ok(()),
            Some(rule) => Err(ConfigError::Invalid {
                key: rule.key.to_string(),
                value: rule.value,
                origin: origin.to_string(),
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

/// Where the configuration comes from: the two directories, `--config` and `--profile`, and the
/// `APP_*` environment. Tests fill it with temporary directories and an injected environment.
#[derive(Debug, Clone)]
pub struct Sources {
    pub config_dir: PathBuf,
    pub etc_dir: PathBuf,
    pub config_file: Option<PathBuf>,
    pub profiles: Option<String>,
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
                origin: format!("environment variable {key}"),
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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A key has a value of the wrong type or out of range.
    #[error("configuration error: {key} = {value:?} (from {origin}) {reason}")]
    Invalid {
        key: String,
        value: String,
        origin: String,
        reason: String,
    },
    /// A key, section or variable that the service does not know.
    #[error(
        "configuration error: unknown key `{key}` in {origin}; known keys: {}",
        known_keys()
    )]
    UnknownKey { key: String, origin: String },
    /// A file or document that cannot be read or parsed.
    #[error("configuration error: cannot read {origin}: {detail}")]
    Unreadable { origin: String, detail: String },
    /// A profile asked for explicitly that has no file in any configuration directory.
    #[error("configuration error: profile `{profile}` (from {given_by}) has no file; looked for {searched}")]
    UnknownProfile {
        profile: String,
        given_by: String,
        searched: String,
    },
}

fn known_keys() -> String {
    Settings::default().rules().map(|r| r.key).join(", ")
}

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
                searched: candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" and "),
            });
        }
    }

    let mut layers: Vec<(String, Tree)> = Vec::new();
    for dir in [&sources.config_dir, &sources.etc_dir] {
        let names = std::iter::once("application.toml".to_string())
            .chain(profiles.iter().map(|p| format!("application-{p}.toml")));
        for path in names.map(|name| dir.join(name)) {
            if let Some(tree) = read_file(&path, None)? {
                layers.push((path.display().to_string(), tree));
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
        let tree = read_file(&path, Some(given_by))?.unwrap_or_default();
        layers.push((path.display().to_string(), tree));
    }
    if let Some(json) = sources.env.get(ENV_CONFIG_JSON).filter(|v| !v.is_empty()) {
        layers.push((
            ENV_CONFIG_JSON.to_string(),
            parse(json, true, ENV_CONFIG_JSON)?,
        ));
    }
    let mut vars = Vec::new();
    for (name, value) in &sources.env {
        if name.starts_with(ENV_PREFIX)
            && ![ENV_CONFIG_FILE, ENV_PROFILE, ENV_CONFIG_JSON].contains(&name.as_str())
        {
            layers.push((format!("environment variable {name}"), env_var(name, value)));
            vars.push(name.as_str());
        }
    }

    let mut merged = defaults();
    let mut applied = Vec::new();
    for (label, tree) in layers {
        for (section, table) in check(tree, &label)? {
            if let (Some(Value::Object(into)), Value::Object(table)) =
                (merged.get_mut(&section), table)
            {
                into.extend(table);
            }
        }
        if !label.starts_with("environment variable") {
            applied.push(label);
        }
    }
    if !vars.is_empty() {
        applied.push(format!("environment ({})", vars.join(", ")));
    }
    let settings =
        serde_json::from_value(Value::Object(merged)).map_err(|e| ConfigError::Unreadable {
            origin: "the merged configuration".to_string(),
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
    let tree = read_file(path, Some("--check-config"))?.unwrap_or_default();
    check(tree, &path.display().to_string()).map(drop)
}

/// One source's sections and keys.
type Tree = Map<String, Value>;

/// The compiled defaults as a tree.
fn defaults() -> Tree {
    match serde_json::to_value(Settings::default()) {
        Ok(Value::Object(tree)) => tree,
        _ => Tree::new(),
    }
}

/// One `APP_<SECTION>__<KEY>` variable as a tree of its own (keys lowercased).
fn env_var(name: &str, value: &str) -> Tree {
    let path = name[ENV_PREFIX.len()..].to_lowercase();
    let mut parts = path.rsplit("__");
    let last = parts.next().unwrap_or_default().to_string();
    let mut tree: Tree = [(last, Value::String(value.to_string()))]
        .into_iter()
        .collect();
    for part in parts {
        tree = [(part.to_string(), Value::Object(tree))]
            .into_iter()
            .collect();
    }
    tree
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
                origin: from.to_string(),
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
fn read_file(path: &Path, given_by: Option<&str>) -> Result<Option<Tree>, ConfigError> {
    let label = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, path.extension().is_some_and(|e| e == "json"), &label).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && given_by.is_none() => Ok(None),
        Err(e) => Err(ConfigError::Unreadable {
            origin: match given_by {
                Some(how) => format!("{label} (given by {how})"),
                None => label,
            },
            detail: e.to_string(),
        }),
    }
}

/// Parses a TOML or JSON document; an error is one line with the line number.
fn parse(text: &str, json: bool, label: &str) -> Result<Tree, ConfigError> {
    let tree = if json {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        toml::from_str(text).map_err(|e| {
            let before = e
                .span()
                .and_then(|s| text.get(..s.start))
                .unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            format!("TOML parse error at line {line}: {}", e.message().trim())
        })
    };
    tree.map_err(|detail| ConfigError::Unreadable {
        origin: label.to_string(),
        detail,
    })
}

/// Checks one source over the defaults: every key is known, every value deserializes into its
/// field (a string may spell a number or a boolean: environment variables are strings) and
/// [`Settings::validate`] passes. Returns the tree with such strings converted.
fn check(mut tree: Tree, label: &str) -> Result<Tree, ConfigError> {
    let mut settings = Value::Object(defaults());
    for (section, table) in &mut tree {
        if settings.get(section.as_str()).is_none() {
            return Err(unknown_key(section, label));
        }
        let Value::Object(table) = table else {
            let reason = "must be a table of keys (e.g. [server] in TOML)";
            return Err(invalid(section, table, label, reason));
        };
        for (key, value) in table {
            let dotted = format!("{section}.{key}");
            let Some(default) = settings[section.as_str()].get(key.as_str()) else {
                return Err(unknown_key(&dotted, label));
            };
            if let (Value::String(text), false) = (&*value, default.is_string()) {
                if let Ok(v @ (Value::Number(_) | Value::Bool(_))) = serde_json::from_str(text) {
                    *value = v;
                }
            }
            settings[section.as_str()][key.as_str()] = value.clone();
            // Every earlier key deserialized, so a failure is this one's: a wrong type, a number
            // out of its type's range (a negative port) or an unknown log format.
            if Settings::deserialize(&settings).is_err() {
                return Err(wrong_type(dotted, value, label));
            }
        }
    }
    let settings = Settings::deserialize(&settings).unwrap_or_default();
    settings.validate(label)?;
    Ok(tree)
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
        origin: label.to_string(),
    }
}

fn invalid(key: &str, value: &Value, label: &str, reason: &str) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_string(),
        value: match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
        origin: label.to_string(),
        reason: reason.to_string(),
    }
}
