//! Bad configuration stops the service before it binds, with one message naming the key, the
//! bad value and the source.

use prototype_service::configuration::{load, ConfigError};

use crate::helpers::{run_binary, sources_in, write};

fn error_of(sources: &prototype_service::configuration::Sources) -> String {
    match load(sources) {
        Ok(loaded) => panic!("expected an error, loaded {:?}", loaded.settings),
        Err(e) => e.to_string(),
    }
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "{part:?} missing from: {message}");
    }
}

#[test]
fn unparsable_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config/application.toml");
    write(&file, "[server\nport = 1\n");

    let message = error_of(&sources_in(dir.path()));

    assert_mentions(&message, &["cannot read", &file.display().to_string()]);
}

#[test]
fn wrong_type_names_key_value_and_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("etc/application.toml");
    write(&file, "[server]\nport = \"eighty\"\n");

    let message = error_of(&sources_in(dir.path()));

    assert_mentions(
        &message,
        &[
            "server.port",
            "eighty",
            &file.display().to_string(),
            "whole number",
        ],
    );
}

#[test]
fn out_of_range_value_names_the_environment_variable() {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = sources_in(dir.path());
    sources
        .env
        .insert("APP_SERVER__PORT".into(), "70000".into());

    let message = error_of(&sources);

    assert_mentions(
        &message,
        &[
            "server.port",
            "70000",
            "environment variable APP_SERVER__PORT",
            "0 to 65535",
        ],
    );
}

#[test]
fn invalid_choice_in_json_document_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = sources_in(dir.path());
    sources.env.insert(
        "APP_CONFIG_JSON".into(),
        r#"{"logging":{"format":"xml"}}"#.into(),
    );

    let message = error_of(&sources);

    assert_mentions(
        &message,
        &["logging.format", "xml", "APP_CONFIG_JSON", "text, json"],
    );
}

#[test]
fn unparsable_json_document_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = sources_in(dir.path());
    sources
        .env
        .insert("APP_CONFIG_JSON".into(), "{not json".into());

    let message = error_of(&sources);

    assert_mentions(&message, &["cannot read APP_CONFIG_JSON"]);
}

#[test]
fn unknown_key_names_the_key_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config/application.toml");
    write(&file, "[server]\nprot = 8001\n");

    let err = load(&sources_in(dir.path())).unwrap_err();

    assert_eq!(
        err,
        ConfigError::UnknownKey {
            key: "server.prot".into(),
            source: file.display().to_string()
        }
    );
    assert_mentions(&err.to_string(), &["server.port"]);
}

#[test]
fn unknown_section_is_an_unknown_key() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("config/application.toml"),
        "[database]\nurl = \"x\"\n",
    );

    let message = error_of(&sources_in(dir.path()));

    assert_mentions(&message, &["unknown key `database` in"]);
}

#[test]
fn unknown_environment_key_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = sources_in(dir.path());
    sources.env.insert("APP_SERVER__PROT".into(), "1".into());

    let message = error_of(&sources);

    assert_mentions(&message, &["server.prot", "APP_SERVER__PROT"]);
}

#[test]
fn explicitly_requested_profile_without_a_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = sources_in(dir.path());
    sources.profiles = Some("staging".into());

    let message = error_of(&sources);

    assert_mentions(
        &message,
        &["profile `staging`", "--profile", "application-staging.toml"],
    );
}

#[test]
fn missing_config_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = sources_in(dir.path());
    sources
        .env
        .insert("APP_CONFIG_FILE".into(), "/nonexistent/app.toml".into());

    let message = error_of(&sources);

    assert_mentions(&message, &["/nonexistent/app.toml", "APP_CONFIG_FILE"]);
}

#[tokio::test]
async fn the_binary_exits_2_with_one_message_before_binding() {
    let dir = tempfile::tempdir().unwrap();

    let out = run_binary(dir.path(), &[], &[("APP_LOGGING__LEVEL", "loud")]).await;

    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_mentions(&stderr, &["logging.level", "loud", "APP_LOGGING__LEVEL"]);
    assert!(
        out.stdout.is_empty(),
        "nothing served or logged: {:?}",
        out.stdout
    );
}

#[tokio::test]
async fn the_binary_rejects_unknown_arguments() {
    let dir = tempfile::tempdir().unwrap();

    let out = run_binary(dir.path(), &["--verbose"], &[]).await;

    assert_eq!(out.status.code(), Some(2));
    assert_mentions(
        &String::from_utf8_lossy(&out.stderr),
        &["unknown argument `--verbose`"],
    );
}

#[tokio::test]
async fn the_binary_prints_help_and_version() {
    let dir = tempfile::tempdir().unwrap();

    let help = run_binary(dir.path(), &["--help"], &[]).await;
    let version = run_binary(dir.path(), &["--version"], &[]).await;

    assert!(help.status.success());
    assert_mentions(
        &String::from_utf8_lossy(&help.stdout),
        &["--config", "--profile", "APP_CONFIG_JSON"],
    );
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("prototype-service {}", env!("CARGO_PKG_VERSION"))
    );
}
