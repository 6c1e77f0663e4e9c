//! Integration tests: the real server on 127.0.0.1 port 0, spoken to over HTTP.

mod config_errors;
mod config_layers;
mod echo;
mod errors;
mod health;
mod helpers;
mod logs;
mod metrics;
mod request_id;
mod shutdown;
