//! Failures logged and counted once, here, for every route: an error value puts what went wrong
//! on its response (`error::Failure`) and has no side effects of its own.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use jiayuan_community::metrics::Metrics;

use crate::error::Failure;

pub async fn log_and_count_failures(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if let Some(failure) = response.extensions().get::<Failure>() {
        tracing::error!(path, "{}", failure.message);
        if failure.in_database {
            metrics.database_errors.inc();
        }
    }
    response
}
