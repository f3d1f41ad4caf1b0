//! Sites: a living base or residential area, with its own rooms, residents and staff.

use sqlx::{Any, Transaction};

use crate::versions;

/// Makes site `id` if it is new (its name is its id until staff name it).
pub async fn ensure(tx: &mut Transaction<'static, Any>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO sites (id, name, identity_key) VALUES ($1, $1, $2) ON CONFLICT (id) DO NOTHING")
        .bind(id)
        .bind(versions::new_identity_key())
        .execute(&mut **tx)
        .await
        .map(drop)
}
