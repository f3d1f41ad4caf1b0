//! Sites as staff run them (社区): an administrator of every site — the deployment's, as the
//! head office has — adds a community and names it; an administrator of a site adds its
//! rooms and sets its own staff PIN for its kiosks. An account that held every site keeps holding every site: a new site is given to
//! each such account (a head office's viewer sees the new community with the others). Each
//! change is in the action log.

use jiayuan_domain::LocalizedText;
use jiayuan_domain::schedule::Room;
use jiayuan_domain::sync::record::is_valid_id;

use super::form::ServiceError;
use crate::action_log::{self, Act, Actor, Entry};
use crate::db::Database;
use crate::error::{AppError, Tx};

const DB: &str = "adding a site";

/// A site as the deployment's administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SiteRow {
    pub id: String,
    pub name: String,
    pub rooms: i64,
    pub residents: i64,
}

/// Every site with its rooms and residents counted, by name.
pub async fn list(db: &Database) -> Result<Vec<SiteRow>, AppError> {
    sqlx::query_as(
        "SELECT sites.id, sites.name, \
                (SELECT COUNT(*) FROM rooms WHERE rooms.site_id = sites.id) AS rooms, \
                (SELECT COUNT(*) FROM residents WHERE residents.site_id = sites.id \
                   AND residents.deactivated_at IS NULL) AS residents \
         FROM sites ORDER BY sites.name, sites.id",
    )
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("listing sites"))
}

/// Whether `actor` holds every site (the command line does): they run the deployment.
pub async fn runs_every_site(db: &Database, actor: &Actor) -> Result<bool, AppError> {
    let Actor::Staff(staff_id) = actor else { return Ok(true) };
    let missing: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sites WHERE NOT EXISTS \
           (SELECT 1 FROM staff_sites WHERE staff_sites.staff_id = $1 AND staff_sites.site_id = sites.id)",
    )
    .bind(staff_id)
    .fetch_one(&db.pool)
    .await
    .map_err(AppError::db("reading a staff member's sites"))?;
    Ok(missing == 0)
}

/// Adds site `id` named `name`; only for those who run every site (checked again in the
/// transaction, against a site added meanwhile). Each account of every site is given it.
pub async fn add(db: &Database, actor: &Actor, id: &str, name: &str) -> Result<(), ServiceError> {
    let (id, name) = checked(("site_id", id), ("site_name", name))?;
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let holders = holders_of_every_site(&mut tx).await?;
    if let Actor::Staff(staff_id) = actor
        && !holders.contains(staff_id)
    {
        return Err(ServiceError::NotFound);
    }
    let added =
        sqlx::query("INSERT INTO sites (id, name, identity_key) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING")
            .bind(id)
            .bind(name)
            .bind(crate::versions::new_identity_key())
            .execute(&mut **tx)
            .await
            .map_err(AppError::db(DB))?;
    if added.rows_affected() == 0 {
        return Err(ServiceError::field("site_id", "sites.problem.taken"));
    }
    for holder in &holders {
        sqlx::query("INSERT INTO staff_sites (staff_id, site_id) VALUES ($1, $2)")
            .bind(holder)
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(AppError::db(DB))?;
    }
    let entry = Entry {
        site_id: Some(id),
        actor,
        act: Act::SiteAdded,
        subject: id.to_owned(),
        reason: None,
        detail: Some(name.to_owned()),
    };
    action_log::record(&mut tx, entry).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// The most characters a site's or a room's name has: it heads pages and kiosks' screens.
const NAME_MAX: usize = 40;

/// An id and a name as typed (each with its form field), trimmed and checked.
fn checked<'a>(
    (id_field, id): (&'static str, &'a str),
    (name_field, name): (&'static str, &'a str),
) -> Result<(&'a str, &'a str), ServiceError> {
    let (id, name) = (id.trim(), name.trim());
    if !is_valid_id(id) {
        return Err(ServiceError::field(id_field, "sites.problem.id"));
    }
    if name.is_empty() || name.chars().count() > NAME_MAX {
        return Err(ServiceError::field(name_field, "sites.problem.name"));
    }
    Ok((id, name))
}

/// The accounts (not removed) that hold every site.
async fn holders_of_every_site(tx: &mut Tx) -> Result<Vec<String>, AppError> {
    sqlx::query_scalar(
        "SELECT staff.id FROM staff WHERE staff.removed_at IS NULL AND NOT EXISTS \
           (SELECT 1 FROM sites WHERE NOT EXISTS \
              (SELECT 1 FROM staff_sites WHERE staff_sites.staff_id = staff.id AND staff_sites.site_id = sites.id)) \
         ORDER BY staff.id",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(AppError::db("reading who holds every site"))
}

/// Adds room `room_id` named `name` to `site_id` (the caller's signed-in site, checked above):
/// kiosks pull it, staff pair kiosks to it.
pub async fn add_room(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    room_id: &str,
    name: &str,
) -> Result<(), ServiceError> {
    let (room_id, name) = checked(("room_id", room_id), ("room_name", name))?;
    let mut tx = db.begin_write().await.map_err(AppError::db("adding a room"))?;
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM rooms WHERE id = $1")
        .bind(room_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(AppError::db("adding a room"))?;
    if taken.is_some() {
        // Another site's room is not named to them: the same answer as their own.
        return Err(ServiceError::field("room_id", "sites.problem.taken"));
    }
    let version = crate::versions::next_for_site(&mut tx, site_id).await.map_err(AppError::db("adding a room"))?;
    let room = Room { id: room_id.to_owned(), name: LocalizedText::new(name, "", "") };
    crate::schedule::upsert_room(&mut tx, &room, site_id, version).await.map_err(AppError::db("adding a room"))?;
    let entry = Entry {
        site_id: Some(site_id),
        actor,
        act: Act::RoomAdded,
        subject: room_id.to_owned(),
        reason: None,
        detail: Some(name.to_owned()),
    };
    action_log::record(&mut tx, entry).await?;
    tx.commit().await.map_err(AppError::db("adding a room"))?;
    Ok(())
}

/// Sets `site_id`'s own staff PIN (4 to 8 digits) for its kiosks' staff panels, kept only as
/// the digest kiosks check it against; an empty PIN goes back to the server's `--staff-pin`.
/// Kiosks take it with their next pull.
pub async fn set_staff_pin(db: &Database, actor: &Actor, site_id: &str, pin: &str) -> Result<(), ServiceError> {
    const SETTING: &str = "setting a site's staff PIN";
    let pin = pin.trim();
    let key: String = sqlx::query_scalar("SELECT identity_key FROM sites WHERE id = $1")
        .bind(site_id)
        .fetch_optional(&db.pool)
        .await
        .map_err(AppError::db(SETTING))?
        .ok_or(ServiceError::NotFound)?;
    let digest = match pin {
        "" => None,
        pin => Some(
            jiayuan_domain::staff_pin::digest(&key, pin)
                .ok_or_else(|| ServiceError::field("staff_pin", "sites.problem.staff_pin"))?,
        ),
    };
    let mut tx = db.begin_write().await.map_err(AppError::db(SETTING))?;
    sqlx::query("UPDATE sites SET staff_pin_digest = $2 WHERE id = $1")
        .bind(site_id)
        .bind(digest.clone())
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(SETTING))?;
    let entry = Entry {
        site_id: Some(site_id),
        actor,
        act: Act::StaffPinChanged,
        subject: site_id.to_owned(),
        reason: None,
        // Never the PIN: only whether the site has one of its own.
        detail: Some(if digest.is_some() { "own PIN" } else { "the server's PIN" }.to_owned()),
    };
    action_log::record(&mut tx, entry).await?;
    tx.commit().await.map_err(AppError::db(SETTING))?;
    Ok(())
}

/// Whether `site_id` has a staff PIN of its own.
pub async fn has_own_staff_pin(db: &Database, site_id: &str) -> Result<bool, AppError> {
    let digest: Option<Option<String>> = sqlx::query_scalar("SELECT staff_pin_digest FROM sites WHERE id = $1")
        .bind(site_id)
        .fetch_optional(&db.pool)
        .await
        .map_err(AppError::db("reading a site's staff PIN"))?;
    Ok(digest.flatten().is_some())
}
