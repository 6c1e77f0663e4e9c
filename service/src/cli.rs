//! The command line, parsed by hand: four options do not need a parser crate.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

pub const USAGE: &str = "\
Usage: prototype-service [--config FILE] [--profile NAME[,NAME...]] [--help] [--version]

Options:
  -c, --config FILE      extra configuration file (TOML, or JSON when it ends in .json),
                         applied after config/ and /etc/prototype-service/ (env: APP_CONFIG_FILE)
  -p, --profile NAMES    active profiles, comma-separated; loads application-<NAME>.toml
                         from config/ and /etc/prototype-service/ (env: APP_PROFILE)
  -h, --help             print this help
  -V, --version          print the version

Environment:
  APP_CONFIG_JSON        a JSON configuration document, applied after the files
  APP_<SECTION>__<KEY>   one key, applied last (e.g. APP_SERVER__PORT=8080)
  RUST_LOG               log filter; overrides logging.level (e.g. debug, actix_server=warn)
";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Run {
        config_file: Option<PathBuf>,
        profiles: Option<String>,
    },
    Help,
    Version,
}

/// A command line that cannot be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError(String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (try --help)", self.0)
    }
}

impl std::error::Error for CliError {}

/// Parses the arguments after the program name.
pub fn parse<I: IntoIterator<Item = OsString>>(args: I) -> Result<Command, CliError> {
    let mut config_file = None;
    let mut profiles = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let Some(arg) = arg.to_str().map(str::to_owned) else {
            return Err(CliError(format!(
                "argument {:?} is not valid UTF-8",
                arg.to_string_lossy()
            )));
        };
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |option: &str| -> Result<String, CliError> {
            match inline
                .clone()
                .or_else(|| args.next().and_then(|v| v.into_string().ok()))
            {
                Some(v) if !v.is_empty() => Ok(v),
                _ => Err(CliError(format!("option {option} needs a value"))),
            }
        };
        match name.as_str() {
            "-h" | "--help" if inline.is_none() => return Ok(Command::Help),
            "-V" | "--version" if inline.is_none() => return Ok(Command::Version),
            "-c" | "--config" => config_file = Some(PathBuf::from(value("--config")?)),
            "-p" | "--profile" => profiles = Some(value("--profile")?),
            _ => return Err(CliError(format!("unknown argument `{arg}`"))),
        }
    }
    Ok(Command::Run {
        config_file,
        profiles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Command, CliError> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn no_arguments_runs_with_defaults() {
        assert_eq!(
            parse_strs(&[]),
            Ok(Command::Run {
                config_file: None,
                profiles: None
            })
        );
    }

    #[test]
    fn options_take_separate_or_inline_values() {
        assert_eq!(
            parse_strs(&["--config", "a.toml", "--profile=dev,local"]),
            Ok(Command::Run {
                config_file: Some(PathBuf::from("a.toml")),
                profiles: Some("dev,local".to_string())
            })
        );
        assert_eq!(
            parse_strs(&["-c", "b.json", "-p", "prod"]),
            Ok(Command::Run {
                config_file: Some(PathBuf::from("b.json")),
                profiles: Some("prod".to_string())
            })
        );
    }

    #[test]
    fn help_and_version_win() {
        assert_eq!(parse_strs(&["--profile", "x", "--help"]), Ok(Command::Help));
        assert_eq!(parse_strs(&["-V"]), Ok(Command::Version));
    }

    #[test]
    fn unknown_argument_and_missing_value_are_named() {
        let err = parse_strs(&["--port", "1"]).unwrap_err().to_string();
        assert!(err.contains("`--port`"), "{err}");
        let err = parse_strs(&["--config"]).unwrap_err().to_string();
        assert!(err.contains("--config needs a value"), "{err}");
    }
}
