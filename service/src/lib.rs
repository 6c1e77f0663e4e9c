//! The prototype service: an Actix-web microservice with layered configuration, JSON logs,
//! Prometheus metrics and graceful shutdown. `main.rs` wires these modules together.

pub mod cli;
pub mod configuration;
pub mod middleware;
pub mod routes;
pub mod startup;
pub mod state;
pub mod telemetry;
