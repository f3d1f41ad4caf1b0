//! The roster in the database: residents as staff know them.

use crate::error::Tx;
use jiayuan_domain::privacy::mask_name;

pub use jiayuan_domain::input::Resident;

/// Writes a resident, or updates them if their id exists; `version` tells kiosks they changed.
pub async fn upsert_resident(tx: &mut Tx, resident: &Resident, site_id: &str, version: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO residents (id, site_id, full_name, display_name, card_number, phone_last4, household, version, \
                                birth_year, volunteer, phone, lives_alone, emergency_contact, emergency_phone) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name, display_name = excluded.display_name, \
         card_number = excluded.card_number, phone_last4 = excluded.phone_last4, household = excluded.household, \
         version = excluded.version, birth_year = excluded.birth_year, volunteer = excluded.volunteer, \
         phone = excluded.phone, lives_alone = excluded.lives_alone, emergency_contact = excluded.emergency_contact, \
         emergency_phone = excluded.emergency_phone",
    )
    .bind(&resident.id)
    .bind(site_id)
    .bind(&resident.full_name)
    .bind(mask_name(&resident.full_name))
    .bind(resident.card_number.clone())
    .bind(resident.phone_last4.clone())
    .bind(resident.household.clone())
    .bind(version)
    .bind(resident.birth_year.map(i64::from))
    .bind(i64::from(resident.volunteer))
    .bind(resident.phone.clone())
    .bind(i64::from(resident.lives_alone))
    .bind(resident.emergency_contact.clone())
    .bind(resident.emergency_phone.clone())
    .execute(&mut **tx)
    .await
    .map(drop)
}

/// Tells kiosks that what they hold of these residents changed (their hours, the sessions to
/// ask them about): their rows go out again with the next pull.
pub async fn send_again(tx: &mut Tx, site_id: &str, resident_ids: &[&str]) -> Result<(), sqlx::Error> {
    let statement = "UPDATE residents SET version = $1 WHERE site_id = $2 AND id IN ({ids})";
    crate::versions::stamp(tx, site_id, statement, resident_ids).await
}

/// The full names of `ids` among `site_id`'s residents, for staff's pages.
pub async fn full_names(
    db: &crate::db::Database,
    site_id: &str,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, String>, crate::error::AppError> {
    let mut names = std::collections::HashMap::new();
    for chunk in ids.chunks(400) {
        let statement = format!(
            "SELECT id, full_name FROM residents WHERE site_id = $1 AND id IN ({})",
            crate::db::placeholders(2, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (String, String)>(&statement).bind(site_id);
        for id in chunk {
            query = query.bind(id.to_string());
        }
        let rows = query.fetch_all(&db.pool).await.map_err(crate::error::AppError::db("reading residents' names"))?;
        names.extend(rows);
    }
    Ok(names)
}
