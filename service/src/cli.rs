//! The command line, parsed by clap.

use std::path::PathBuf;

use clap::error::{ContextKind, ErrorKind};
use clap::Parser;

const ENVIRONMENT: &str = "\
Environment:
  APP_CONFIG_FILE        like --config (the option wins)
  APP_PROFILE            like --profile (the option wins)
  APP_CONFIG_JSON        a JSON configuration document, applied after the files
  APP_<SECTION>__<KEY>   one key, applied last (e.g. APP_SERVER__PORT=8080)
  RUST_LOG               log filter; overrides logging.level (e.g. debug, actix_server=warn)";

/// The prototype service: POST /echo, health and readiness probes, Prometheus metrics;
/// configured in layers (config/, /etc/prototype-service/, --config, APP_* variables).
#[derive(Debug, Clone, PartialEq, Eq, Parser)]
#[command(name = "prototype-service", version, after_help = ENVIRONMENT)]
pub struct Cli {
    /// Extra configuration file (TOML, or JSON when it ends in .json), applied after config/
    /// and /etc/prototype-service/
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Active profiles, comma-separated; loads application-<NAME>.toml from config/ and
    /// /etc/prototype-service/
    #[arg(short, long, value_name = "NAMES")]
    pub profile: Option<String>,
    /// Check one configuration file on its own (keys, types, ranges) and exit: 0 when it is
    /// valid, 2 with the problem when it is not
    #[arg(long, value_name = "FILE", conflicts_with_all = ["config", "profile"])]
    pub check_config: Option<PathBuf>,
}

/// Parses the arguments (the program name first). `Ok(Err(text))` is `--help` or `--version`
/// output; an error is one line that names the argument.
pub fn parse<I, T>(args: I) -> Result<Result<Cli, String>, String>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(cli) => Ok(Ok(cli)),
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            Ok(Err(e.to_string()))
        }
        Err(e) => Err(match (e.kind(), e.get(ContextKind::InvalidArg)) {
            (ErrorKind::UnknownArgument, Some(arg)) => {
                format!("unknown argument `{arg}` (try --help)")
            }
            _ => {
                let text = e.to_string();
                let first = text.lines().next().unwrap_or_default();
                format!("{} (try --help)", first.trim_start_matches("error: "))
            }
        }),
    }
}
