//! The command line, parsed with lexopt.

use std::ffi::OsString;
use std::path::PathBuf;

pub const USAGE: &str = "\
Usage: prototype-service [--config FILE] [--profile NAME[,NAME...]] [--help] [--version]
       prototype-service --check-config FILE

Options:
  -c, --config FILE      extra configuration file (TOML, or JSON when it ends in .json),
                         applied after config/ and /etc/prototype-service/ (env: APP_CONFIG_FILE)
  -p, --profile NAMES    active profiles, comma-separated; loads application-<NAME>.toml
                         from config/ and /etc/prototype-service/ (env: APP_PROFILE)
      --check-config FILE  check one configuration file on its own (keys, types, ranges) and
                         exit: 0 when it is valid, 2 with the problem when it is not
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
    CheckConfig(PathBuf),
    Help,
    Version,
}

/// Parses the arguments after the program name; an error names the argument.
pub fn parse<I: IntoIterator<Item = OsString>>(args: I) -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let (mut config_file, mut profiles) = (None, None);
    let mut parse = || -> Result<Option<Command>, lexopt::Error> {
        while let Some(arg) = parser.next()? {
            match arg {
                Short('c') | Long("config") => config_file = Some(parser.value()?.into()),
                Short('p') | Long("profile") => profiles = Some(parser.value()?.string()?),
                Long("check-config") => {
                    return Ok(Some(Command::CheckConfig(parser.value()?.into())))
                }
                Short('h') | Long("help") => return Ok(Some(Command::Help)),
                Short('V') | Long("version") => return Ok(Some(Command::Version)),
                Short(c) => return Err(format!("unknown argument `-{c}`").into()),
                Long(name) => return Err(format!("unknown argument `--{name}`").into()),
                Value(v) => {
                    return Err(format!("unknown argument `{}`", v.to_string_lossy()).into())
                }
            }
        }
        Ok(None)
    };
    match parse() {
        Ok(Some(command)) => Ok(command),
        Ok(None) => Ok(Command::Run {
            config_file,
            profiles,
        }),
        Err(e) => Err(format!("{e} (try --help)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Command, String> {
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
    fn check_config_takes_a_file() {
        assert_eq!(
            parse_strs(&["--check-config", "a.toml"]),
            Ok(Command::CheckConfig(PathBuf::from("a.toml")))
        );
    }

    #[test]
    fn help_and_version_win() {
        assert_eq!(parse_strs(&["--profile", "x", "--help"]), Ok(Command::Help));
        assert_eq!(parse_strs(&["-V"]), Ok(Command::Version));
    }

    #[test]
    fn unknown_argument_and_missing_value_are_named() {
        let err = parse_strs(&["--port", "1"]).unwrap_err();
        assert!(err.contains("`--port`"), "{err}");
        let err = parse_strs(&["--config"]).unwrap_err();
        assert!(
            err.contains("missing argument for option '--config'"),
            "{err}"
        );
    }
}
