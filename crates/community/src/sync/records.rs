//! The records a kiosk sent, as the server applied them: what operators look at when a kiosk
//! needs explaining (`jiayuan-server records --kiosk …`).

use crate::db::Database;
use crate::error::AppError;

/// One applied record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedRecord {
    pub seq: i64,
    pub record_id: String,
    /// sign_in | check_in | sign_up | cancel | void
    pub action: String,
    pub resident_id: Option<String>,
    pub activity_id: Option<String>,
    /// The kiosk's clock when it happened (ms since 1970).
    pub happened_at: i64,
    /// The server's clock when it was applied.
    pub applied_at: i64,
    /// The answer given, as JSON.
    pub outcome: String,
}

/// Every record applied from `kiosk_id`, in its numbering.
pub async fn for_kiosk(db: &Database, kiosk_id: &str) -> Result<Vec<AppliedRecord>, AppError> {
    type Row = (i64, String, String, Option<String>, Option<String>, i64, i64, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT seq, record_id, action, resident_id, activity_id, happened_at, applied_at, outcome \
         FROM kiosk_records WHERE kiosk_id = $1 ORDER BY seq",
    )
    .bind(kiosk_id)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("listing a kiosk's records"))?;
    Ok(rows
        .into_iter()
        .map(|(seq, record_id, action, resident_id, activity_id, happened_at, applied_at, outcome)| AppliedRecord {
            seq,
            record_id,
            action,
            resident_id,
            activity_id,
            happened_at,
            applied_at,
            outcome,
        })
        .collect())
}
