//! Bad configuration stops the service before it binds, with one message naming the key, the
//! bad value and the source.

use prototype_service::configuration::{load, ConfigError, Settings};

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
            origin: file.display().to_string()
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
fn a_single_underscore_between_section_and_key_is_an_unknown_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = sources_in(dir.path());
    sources.env.insert("APP_SERVER_PORT".into(), "1".into());

    let message = error_of(&sources);

    assert_mentions(&message, &["unknown key `server_port`", "APP_SERVER_PORT"]);
}

#[test]
fn a_range_error_is_one_sentence_with_key_value_source_and_range() {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = sources_in(dir.path());
    sources
        .env
        .insert("APP_SERVER__WORKERS".into(), "2000".into());

    let message = error_of(&sources);

    assert_eq!(
        message,
        "configuration error: server.workers = \"2000\" (from environment variable \
         APP_SERVER__WORKERS) must be a whole number from 0 to 1024"
    );
}

#[test]
fn every_key_has_a_rule_and_the_defaults_pass_them() {
    let defaults = serde_json::to_value(Settings::default()).unwrap();
    let mut keys: Vec<String> = Vec::new();
    for (section, table) in defaults.as_object().unwrap() {
        for key in table.as_object().unwrap().keys() {
            keys.push(format!("{section}.{key}"));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let mut sources = sources_in(dir.path());
    sources.env.insert("APP_X__Y".into(), "1".into());

    let message = error_of(&sources);

    let (_, listed) = message
        .split_once("known keys: ")
        .expect("the keys are listed");
    let mut ruled: Vec<&str> = listed.split(", ").collect();
    keys.sort();
    ruled.sort();
    assert_eq!(keys, ruled);
    assert_eq!(Settings::default().validate("the defaults"), Ok(()));
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

#[tokio::test]
async fn check_config_judges_one_file_without_starting() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("good.toml"), "[server]\nport = 8080\n");
    write(
        &dir.path().join("bad.toml"),
        "[logging]\nformat = \"xml\"\n",
    );

    let good = run_binary(dir.path(), &["--check-config", "good.toml"], &[]).await;
    let bad = run_binary(dir.path(), &["--check-config", "bad.toml"], &[]).await;
    let both = run_binary(
        dir.path(),
        &["--check-config", "good.toml", "-p", "dev"],
        &[],
    )
    .await;

    assert_eq!(good.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&good.stdout),
        "good.toml: valid configuration\n"
    );
    assert_eq!(bad.status.code(), Some(2));
    assert_mentions(
        &String::from_utf8_lossy(&bad.stderr),
        &["logging.format = \"xml\" (from bad.toml)", "text, json"],
    );
    assert_eq!(both.status.code(), Some(2));
    assert_mentions(
        &String::from_utf8_lossy(&both.stderr),
        &["--profile", "(try --help)"],
    );
}
