//! Residents, for the console: the same rules as the file import (`jiayuan_domain::input`),
//! a new version for kiosks, a revision so two staff editing one resident are told, and a line
//! in the action log. A deactivated resident keeps their history; kiosks forget them.

use jiayuan_domain::identity::{IdentityKind, normalise};
use jiayuan_domain::input::{Resident, ResidentInput};

use crate::action_log::{self, Act, Actor, Entry};
use crate::clock::now_ms;
use crate::db::Database;
use crate::error::{AppError, Tx};
use crate::office::form::{IdsOf, ServiceError, refuse_taken_id};
use crate::roster::upsert_resident;
use crate::versions;

const DB: &str = "saving a resident";

/// The most residents a search shows.
pub const SEARCH_LIMIT: i64 = 50;

/// A resident as the console shows them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResidentRow {
    pub id: String,
    pub full_name: String,
    pub card_number: Option<String>,
    pub phone_last4: Option<String>,
    pub phone: Option<String>,
    pub household: Option<String>,
    pub birth_year: Option<i64>,
    pub volunteer: i64,
    pub lives_alone: i64,
    pub emergency_contact: Option<String>,
    pub emergency_phone: Option<String>,
    pub deactivated_at: Option<i64>,
    pub revision: i64,
}

impl ResidentRow {
    pub fn resident(&self) -> Resident {
        Resident {
            id: self.id.clone(),
            full_name: self.full_name.clone(),
            card_number: self.card_number.clone(),
            phone_last4: self.phone_last4.clone(),
            phone: self.phone.clone(),
            household: self.household.clone(),
            birth_year: self.birth_year.and_then(|year| i32::try_from(year).ok()),
            volunteer: self.volunteer != 0,
            lives_alone: self.lives_alone != 0,
            emergency_contact: self.emergency_contact.clone(),
            emergency_phone: self.emergency_phone.clone(),
        }
    }

    pub fn is_active(&self) -> bool {
        self.deactivated_at.is_none()
    }
}

/// A resident's columns as `ResidentRow` reads them, for every query that reads one.
pub const COLUMNS: &str = "id, full_name, card_number, phone_last4, phone, household, birth_year, volunteer, \
                           lives_alone, emergency_contact, emergency_phone, deactivated_at, revision";

/// `text` for a LIKE pattern, its wildcards taken literally.
fn like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Residents of `site_id` found by what staff type: part of a name, a card number (as a
/// reader types it), the last four digits of a phone, or a household (3-2-501, 3 2 501).
pub async fn search(db: &Database, site_id: &str, typed: &str) -> Result<Vec<ResidentRow>, AppError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(Vec::new());
    }
    let card = normalise(IdentityKind::Card, typed).unwrap_or_default();
    let phone = normalise(IdentityKind::PhoneLast4, typed).unwrap_or_default();
    let household = if typed.chars().any(|c| c.is_ascii_digit()) {
        normalise(IdentityKind::Household, typed).unwrap_or_default()
    } else {
        String::new()
    };
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM residents WHERE site_id = $1 AND (full_name LIKE $2 ESCAPE '\\' \
           OR (card_number = $3 AND $3 <> '') OR (phone_last4 = $4 AND $4 <> '') \
           OR (household = $5 AND $5 <> '') OR id = $6) \
         ORDER BY deactivated_at IS NOT NULL, full_name, id LIMIT $7"
    ))
    .bind(site_id)
    .bind(format!("%{}%", like(typed)))
    .bind(card)
    .bind(phone)
    .bind(household)
    .bind(typed)
    .bind(SEARCH_LIMIT)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("searching residents"))
}

pub async fn find(db: &Database, site_id: &str, id: &str) -> Result<ResidentRow, ServiceError> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM residents WHERE site_id = $1 AND id = $2"))
        .bind(site_id)
        .bind(id)
        .fetch_optional(&db.pool)
        .await
        .map_err(AppError::db("reading a resident"))?
        .ok_or(ServiceError::NotFound)
}

/// A resident's place in a session, for their page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SignUpOfResident {
    pub activity_id: String,
    pub title: String,
    pub day: String,
    pub starts: String,
    pub status: String,
}

/// A resident's sign-ups from `from_day` on, newest last.
pub async fn sign_ups_of(db: &Database, resident_id: &str, from_day: &str) -> Result<Vec<SignUpOfResident>, AppError> {
    sqlx::query_as(
        "SELECT activities.id AS activity_id, activities.title_zh_hans AS title, activities.day, activities.starts, \
                sign_ups.status FROM sign_ups JOIN activities ON activities.id = sign_ups.activity_id \
         WHERE sign_ups.resident_id = $1 AND activities.day >= $2 ORDER BY activities.day, activities.starts",
    )
    .bind(resident_id)
    .bind(from_day)
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("reading a resident's sign-ups"))
}

fn new_id() -> String {
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("p-{}", &random[..12])
}

/// The card must be no other resident's.
async fn check_card(tx: &mut Tx, resident: &Resident) -> Result<(), ServiceError> {
    let Some(card) = &resident.card_number else { return Ok(()) };
    let holder: Option<String> = sqlx::query_scalar("SELECT id FROM residents WHERE card_number = $1 AND id <> $2")
        .bind(card)
        .bind(&resident.id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    if holder.is_some() { Err(ServiceError::field("card_number", "resident.problem.card_taken")) } else { Ok(()) }
}

fn describe(resident: &Resident) -> String {
    let mut parts = vec![resident.full_name.clone()];
    parts.extend(resident.household.clone());
    if resident.card_number.is_some() {
        parts.push("card".to_owned());
    }
    parts.join(", ")
}

/// Adds a resident; their id.
pub async fn add(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    mut input: ResidentInput,
) -> Result<String, ServiceError> {
    if input.id.trim().is_empty() {
        input.id = new_id();
    }
    let resident = input.check().map_err(|problems| ServiceError::from_domain(&problems))?;
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    refuse_taken_id(&mut tx, IdsOf::Residents, &resident.id, "resident.problem.id_taken").await?;
    check_card(&mut tx, &resident).await?;
    let version = versions::next_for_site(&mut tx, site_id).await.map_err(AppError::db(DB))?;
    upsert_resident(&mut tx, &resident, site_id, version).await.map_err(AppError::db(DB))?;
    log(&mut tx, site_id, actor, Act::ResidentAdded, &resident.id, None, Some(describe(&resident))).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(resident.id)
}

/// Changes a resident as staff edited them from `revision`.
pub async fn change(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    id: &str,
    mut input: ResidentInput,
    revision: i64,
) -> Result<(), ServiceError> {
    input.id = id.to_owned();
    let resident = input.check().map_err(|problems| ServiceError::from_domain(&problems))?;
    find(db, site_id, id).await?;
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    bump_revision(&mut tx, id, revision).await?;
    check_card(&mut tx, &resident).await?;
    let version = versions::next_for_site(&mut tx, site_id).await.map_err(AppError::db(DB))?;
    upsert_resident(&mut tx, &resident, site_id, version).await.map_err(AppError::db(DB))?;
    log(&mut tx, site_id, actor, Act::ResidentChanged, id, None, Some(describe(&resident))).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

async fn bump_revision(tx: &mut Tx, id: &str, revision: i64) -> Result<(), ServiceError> {
    let bumped = sqlx::query("UPDATE residents SET revision = revision + 1 WHERE id = $1 AND revision = $2")
        .bind(id)
        .bind(revision)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    if bumped.rows_affected() == 1 { Ok(()) } else { Err(ServiceError::Conflict) }
}

/// Gives a resident the card scanned at the office (a USB reader types it like a keyboard).
pub async fn assign_card(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    id: &str,
    typed: &str,
    revision: i64,
) -> Result<(), ServiceError> {
    let row = find(db, site_id, id).await?;
    let Some(card) = normalise(IdentityKind::Card, typed) else {
        return Err(ServiceError::field("card_number", "problem.not_a_card"));
    };
    let resident = Resident { card_number: Some(card), ..row.resident() };
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    bump_revision(&mut tx, id, revision).await?;
    check_card(&mut tx, &resident).await?;
    let version = versions::next_for_site(&mut tx, site_id).await.map_err(AppError::db(DB))?;
    upsert_resident(&mut tx, &resident, site_id, version).await.map_err(AppError::db(DB))?;
    log(&mut tx, site_id, actor, Act::ResidentChanged, id, None, Some("card assigned".to_owned())).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// Deactivates a resident (moved away, passed away): their history stays; kiosks forget them
/// at their next sync, so their card stops working there. `active` true brings them back.
pub async fn set_active(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    id: &str,
    active: bool,
    reason: &str,
) -> Result<(), ServiceError> {
    let row = find(db, site_id, id).await?;
    if row.is_active() == active {
        return Ok(());
    }
    let reason = reason.trim();
    if !active && reason.is_empty() {
        return Err(ServiceError::field("reason", "resident.problem.reason_needed"));
    }
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    if active {
        reactivate_in(&mut tx, actor, site_id, id, &row.full_name).await?;
    } else {
        deactivate_in(&mut tx, actor, site_id, id, &row.full_name, reason).await?;
    }
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// Takes resident `id` (of `site_id`, named `full_name`) off the roster in `tx`, with `reason`
/// in the action log: kiosks forget them at their next pull. For the console's form and for a
/// follow-up that heard they moved away or passed away.
pub(crate) async fn deactivate_in(
    tx: &mut Tx,
    actor: &Actor,
    site_id: &str,
    id: &str,
    full_name: &str,
    reason: &str,
) -> Result<(), AppError> {
    let version = versions::next_for_site(tx, site_id).await.map_err(AppError::db(DB))?;
    set_deactivated_at(tx, id, Some(now_ms()), version).await?;
    sqlx::query(
        "INSERT INTO deletions (site_id, entity, entity_id, version) VALUES ($1, 'resident', $2, $3) \
         ON CONFLICT (site_id, entity, entity_id) DO UPDATE SET version = excluded.version",
    )
    .bind(site_id)
    .bind(id)
    .bind(version)
    .execute(&mut **tx)
    .await
    .map_err(AppError::db(DB))?;
    let reason = Some(reason.to_owned()).filter(|r| !r.is_empty());
    log(tx, site_id, actor, Act::ResidentDeactivated, id, reason, Some(full_name.to_owned())).await
}

async fn reactivate_in(tx: &mut Tx, actor: &Actor, site_id: &str, id: &str, full_name: &str) -> Result<(), AppError> {
    let version = versions::next_for_site(tx, site_id).await.map_err(AppError::db(DB))?;
    set_deactivated_at(tx, id, None, version).await?;
    sqlx::query("DELETE FROM deletions WHERE site_id = $1 AND entity = 'resident' AND entity_id = $2")
        .bind(site_id)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    log(tx, site_id, actor, Act::ResidentReactivated, id, None, Some(full_name.to_owned())).await
}

async fn set_deactivated_at(tx: &mut Tx, id: &str, at: Option<i64>, version: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE residents SET deactivated_at = $2, version = $3, revision = revision + 1 WHERE id = $1")
        .bind(id)
        .bind(at)
        .bind(version)
        .execute(&mut **tx)
        .await
        .map(drop)
        .map_err(AppError::db(DB))
}

async fn log(
    tx: &mut Tx,
    site_id: &str,
    actor: &Actor,
    act: Act,
    subject: &str,
    reason: Option<String>,
    detail: Option<String>,
) -> Result<(), AppError> {
    action_log::record(tx, Entry { site_id: Some(site_id), actor, act, subject: subject.to_owned(), reason, detail })
        .await
}
