//! Database work that runs to its end even when the client goes away.
//!
//! axum drops a handler's future when its client disconnects (a kiosk's request timing out,
//! the network dropping). A transaction cut off in the middle of a statement can leave a
//! pooled SQLite connection inside its transaction, holding the write lock, and the next
//! request to get that connection fails ("begin_with at non-zero transaction depth"): seen in
//! the end-to-end tests when a kiosk went offline mid-push. Run on its own task, the work
//! commits or rolls back whatever happens to the request.

use std::future::Future;

use jiayuan_community::error::AppError;

pub async fn to_completion<T: Send + 'static>(
    what: &'static str,
    work: impl Future<Output = Result<T, AppError>> + Send + 'static,
) -> Result<T, AppError> {
    match tokio::spawn(work).await {
        Ok(result) => result,
        Err(error) => {
            tracing::error!(%error, "{what} did not finish");
            Err(AppError::Unfinished(what))
        }
    }
}
