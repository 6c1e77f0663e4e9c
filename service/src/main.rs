//! Entry point: parse the command line, load the configuration, start logging, serve.

use std::process::ExitCode;
use std::time::Instant;

use prototype_service::cli;
use prototype_service::configuration::{self, Loaded, Sources};
use prototype_service::startup::{Application, VERSION};
use prototype_service::telemetry;

fn main() -> ExitCode {
    let started = Instant::now();
    let cli = match cli::parse(std::env::args_os()) {
        Ok(Ok(cli)) => cli,
        Ok(Err(help_or_version)) => {
            print!("{help_or_version}");
            return ExitCode::SUCCESS;
        }
        Err(e) => return usage_error(e),
    };
    if let Some(file) = cli.check_config {
        return match configuration::check_file(&file) {
            Ok(()) => {
                println!("{}: valid configuration", file.display());
                ExitCode::SUCCESS
            }
            Err(e) => usage_error(e),
        };
    }
    let loaded = match Sources::from_process(cli.config, cli.profile)
        .and_then(|s| configuration::load(&s))
    {
        Ok(loaded) => loaded,
        Err(e) => return usage_error(e),
    };
    if let Err(e) = telemetry::init_logging(&loaded.settings.logging) {
        eprintln!("prototype-service: cannot start logging: {e}");
        return ExitCode::FAILURE;
    }
    let code = actix_web::rt::System::new().block_on(serve(loaded, started));
    telemetry::flush_logs();
    code
}

/// A bad command line or configuration: one line on stderr, exit status 2.
fn usage_error(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("prototype-service: {e}");
    ExitCode::from(2)
}

async fn serve(loaded: Loaded, started: Instant) -> ExitCode {
    let app = match Application::build(&loaded.settings) {
        Ok(app) => app,
        Err(e) => {
            log::error!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let profiles = if loaded.profiles.is_empty() {
        "none".to_string()
    } else {
        loaded.profiles.join(",")
    };
    let sources = if loaded.sources.is_empty() {
        "defaults only".to_string()
    } else {
        format!("defaults, {}", loaded.sources.join(", "))
    };
    log::info!(
        "prototype-service {VERSION} listening on http://{} ({} workers, ready in {} us); profiles: {profiles}; config sources: {sources}",
        app.address(),
        app.workers(),
        started.elapsed().as_micros()
    );
    telemetry::flush_logs();
    match app.run_until_stopped().await {
        Ok(()) => {
            log::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            log::error!("server failed: {e}");
            ExitCode::FAILURE
        }
    }
}
