//! Sites: a living base or residential area, with its own rooms, residents and staff.

use crate::db::Database;
use crate::error::{AppError, Tx};
use crate::versions;

/// Makes site `id` if it is new (its name is its id until staff name it).
pub async fn ensure(tx: &mut Tx, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO sites (id, name, identity_key) VALUES ($1, $1, $2) ON CONFLICT (id) DO NOTHING")
        .bind(id)
        .bind(versions::new_identity_key())
        .execute(&mut **tx)
        .await
        .map(drop)
}

/// Every site as (id, name), by name.
pub async fn all(db: &Database) -> Result<Vec<(String, String)>, AppError> {
    sqlx::query_as("SELECT id, name FROM sites ORDER BY name, id")
        .fetch_all(&db.pool)
        .await
        .map_err(AppError::db("reading sites"))
}

/// The sites a staff member works on as (id, name), by name.
pub async fn of_staff(db: &Database, staff_id: &str) -> Result<Vec<(String, String)>, AppError> {
    sqlx::query_as(
        "SELECT sites.id, sites.name FROM staff_sites JOIN sites ON sites.id = staff_sites.site_id \
         WHERE staff_sites.staff_id = $1 ORDER BY sites.name, sites.id",
    )
    .bind(staff_id)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("reading a staff member's sites"))
}
