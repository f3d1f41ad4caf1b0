//! The per-site change counter behind kiosks' pull cursors.
//!
//! Every change to a site's data takes the next number and stamps it on what it changed.
//! Taking the number locks the site's row until the change commits (PostgreSQL; SQLite has one
//! writer at a time), so numbers commit in order and a cursor never skips a change.

use crate::error::Tx;

pub async fn next_for_site(tx: &mut Tx, site_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("UPDATE sites SET version = version + 1 WHERE id = $1 RETURNING version")
        .bind(site_id)
        .fetch_one(&mut **tx)
        .await
}

/// Gives rows of `site_id` the site's next change number, so kiosks pull them again.
/// `statement` is an UPDATE whose `$1` is the number, `$2` the site and `{ids}` where the
/// rows' ids go.
pub async fn stamp(tx: &mut Tx, site_id: &str, statement: &str, ids: &[&str]) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let version = next_for_site(tx, site_id).await?;
    for chunk in ids.chunks(500) {
        let statement = statement.replace("{ids}", &crate::db::placeholders(3, chunk.len()));
        let mut query = sqlx::query(&statement).bind(version).bind(site_id);
        for id in chunk {
            query = query.bind(id.to_string());
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A fresh 256-bit key for a site's identity digests, from the OS's random source.
pub fn new_identity_key() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}
