//! `GET /ready`: readiness. 200 while serving, 503 once shutdown has begun, so Consul and Nomad
//! stop sending traffic before the process goes away.

use actix_web::http::header::{HeaderValue, CONTENT_TYPE};
use actix_web::{web, HttpResponse};

use crate::state::AppState;

pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let json = (CONTENT_TYPE, HeaderValue::from_static(super::JSON));
    if state.is_ready() {
        HttpResponse::Ok()
            .insert_header(json)
            .body(r#"{"status":"UP"}"#)
    } else {
        HttpResponse::ServiceUnavailable()
            .insert_header(json)
            .body(r#"{"status":"OUT_OF_SERVICE"}"#)
    }
}
