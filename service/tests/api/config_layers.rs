//! One test per configuration layer: each sets `metrics.namespace` above the layer below it,
//! and the running server's metric names show which layer won.

use crate::helpers::{namespace_of, sources_in, spawn_app_from, write};

fn ns(layer: &str) -> String {
    format!("[metrics]\nnamespace = \"{layer}\"\n")
}

#[tokio::test]
async fn compiled_defaults_apply_without_any_source() {
    let dir = tempfile::tempdir().unwrap();
    let sources = sources_in(dir.path());

    let app = spawn_app_from(&sources).await;

    assert_eq!(namespace_of(&app).await, "prototype_service");
}

#[tokio::test]
async fn config_application_toml_beats_defaults() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("config/application.toml"),
        &ns("config_base"),
    );

    let app = spawn_app_from(&sources_in(dir.path())).await;

    assert_eq!(namespace_of(&app).await, "config_base");
}

#[tokio::test]
async fn config_profile_file_beats_config_application_toml() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("config/application.toml"),
        &ns("config_base"),
    );
    write(
        &dir.path().join("config/application-dev.toml"),
        &ns("config_dev"),
    );
    let mut sources = sources_in(dir.path());
    sources.profiles = Some("dev".to_string());

    let app = spawn_app_from(&sources).await;

    assert_eq!(namespace_of(&app).await, "config_dev");
}

#[tokio::test]
async fn later_profiles_in_the_list_win() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("config/application-dev.toml"),
        &ns("config_dev"),
    );
    write(
        &dir.path().join("config/application-local.toml"),
        &ns("config_local"),
    );
    let mut sources = sources_in(dir.path());
    sources
        .env
        .insert("APP_PROFILE".into(), "local, dev".into());

    let app = spawn_app_from(&sources).await;

    assert_eq!(namespace_of(&app).await, "config_dev");
}

#[tokio::test]
async fn etc_application_toml_beats_config_profile_files() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("config/application-dev.toml"),
        &ns("config_dev"),
    );
    write(&dir.path().join("etc/application.toml"), &ns("etc_base"));
    let mut sources = sources_in(dir.path());
    sources.profiles = Some("dev".to_string());

    let app = spawn_app_from(&sources).await;

    assert_eq!(namespace_of(&app).await, "etc_base");
}

#[tokio::test]
async fn etc_profile_file_beats_etc_application_toml() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("etc/application.toml"), &ns("etc_base"));
    write(
        &dir.path().join("etc/application-prod.toml"),
        &ns("etc_prod"),
    );
    let mut sources = sources_in(dir.path());
    sources.profiles = Some("prod".to_string());

    let app = spawn_app_from(&sources).await;

    assert_eq!(namespace_of(&app).await, "etc_prod");
}

#[tokio::test]
async fn config_file_option_beats_etc_profile_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("etc/application-prod.toml"),
        &ns("etc_prod"),
    );
    write(&dir.path().join("extra.toml"), &ns("cli_file"));
    let mut sources = sources_in(dir.path());
    sources.profiles = Some("prod".to_string());
    sources.config_file = Some(dir.path().join("extra.toml"));

    let app = spawn_app_from(&sources).await;

    assert_eq!(namespace_of(&app).await, "cli_file");
}

#[tokio::test]
async fn app_config_file_variable_works_and_the_option_beats_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("env.json"),
        r#"{"metrics":{"namespace":"env_file"}}"#,
    );
    write(&dir.path().join("cli.toml"), &ns("cli_file"));
    let mut sources = sources_in(dir.path());
    let env_file = dir.path().join("env.json").display().to_string();
    sources.env.insert("APP_CONFIG_FILE".into(), env_file);

    let from_env = spawn_app_from(&sources).await;
    sources.config_file = Some(dir.path().join("cli.toml"));
    let from_cli = spawn_app_from(&sources).await;

    assert_eq!(namespace_of(&from_env).await, "env_file");
    assert_eq!(namespace_of(&from_cli).await, "cli_file");
}

#[tokio::test]
async fn app_config_json_beats_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("extra.toml"), &ns("cli_file"));
    let mut sources = sources_in(dir.path());
    sources.config_file = Some(dir.path().join("extra.toml"));
    sources.env.insert(
        "APP_CONFIG_JSON".into(),
        r#"{"metrics":{"namespace":"json_doc"}}"#.into(),
    );

    let app = spawn_app_from(&sources).await;

    assert_eq!(namespace_of(&app).await, "json_doc");
}

#[tokio::test]
async fn app_section_key_variables_beat_app_config_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = sources_in(dir.path());
    sources.env.insert(
        "APP_CONFIG_JSON".into(),
        r#"{"metrics":{"namespace":"json_doc"}}"#.into(),
    );
    sources
        .env
        .insert("APP_METRICS__NAMESPACE".into(), "env_var".into());

    let app = spawn_app_from(&sources).await;

    assert_eq!(namespace_of(&app).await, "env_var");
}

#[tokio::test]
async fn layers_merge_key_by_key() {
    // A higher layer that sets one key leaves the others of lower layers in place.
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("config/application.toml"),
        "[server]\nmax_body_bytes = 4\n[metrics]\nnamespace = \"config_base\"\n",
    );
    let mut sources = sources_in(dir.path());
    sources
        .env
        .insert("APP_METRICS__NAMESPACE".into(), "env_var".into());

    let app = spawn_app_from(&sources).await;

    assert_eq!(namespace_of(&app).await, "env_var");
    assert_eq!(app.post("/echo", "12345").await.status(), 413);
}

#[tokio::test]
async fn shipped_config_files_load_with_each_profile() {
    // The files in service/config are the ones `cargo run` uses: they must load as they are.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for profile in [None, Some("dev"), Some("prod"), Some("dev,prod")] {
        let mut sources = sources_in(root);
        sources.etc_dir = root.join("no-such-dir");
        sources.profiles = profile.map(str::to_string);

        let loaded = prototype_service::configuration::load(&sources)
            .unwrap_or_else(|e| panic!("profile {profile:?}: {e}"));

        assert_eq!(loaded.settings.server.port, 8001);
        let expected = match profile {
            Some(p) if p.ends_with("prod") => ("0.0.0.0", "json"),
            Some(_) => ("127.0.0.1", "text"),
            None => ("127.0.0.1", "text"),
        };
        assert_eq!(loaded.settings.server.host, expected.0, "{profile:?}");
        let format = format!("{:?}", loaded.settings.logging.format).to_lowercase();
        assert_eq!(format, expected.1, "{profile:?}");
    }
}
