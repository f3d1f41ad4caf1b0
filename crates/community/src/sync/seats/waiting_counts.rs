//! Each activity's waiting list as a count kept on its row (`activities.waiting`), for reports
//! that read thousands of sessions at once. It is counted again from the sign-ups — never
//! added to or taken from — in the transaction that changed the line, so it cannot drift.

use jiayuan_domain::seats::status::WAITING;

use super::{Tx, db};
use crate::db::placeholders;
use crate::error::AppError;

/// Counts the waiting lists of `activity_ids` again; call after their sign-ups changed, in the
/// same transaction (their rows are locked by then).
pub(crate) async fn recount<S: AsRef<str>>(tx: &mut Tx, activity_ids: &[S]) -> Result<(), AppError> {
    for chunk in activity_ids.chunks(500) {
        let statement = format!(
            "UPDATE activities SET waiting = (SELECT COUNT(*) FROM sign_ups \
               WHERE sign_ups.activity_id = activities.id AND sign_ups.status = $1) \
             WHERE id IN ({})",
            placeholders(2, chunk.len())
        );
        let mut query = sqlx::query(&statement).bind(WAITING);
        for id in chunk {
            query = query.bind(id.as_ref().to_owned());
        }
        query.execute(&mut **tx).await.map_err(db("counting a waiting list"))?;
    }
    Ok(())
}
