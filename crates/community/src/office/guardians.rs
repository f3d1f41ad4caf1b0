//! Who may take a child home from after-school care: guardians, residents of the same site
//! (parents, grandparents), whom kiosks know by id only; and pick-up contacts who are not
//! residents, with a phone, for staff only. Each change tells kiosks (the guardian's row goes
//! out again with the children they collect) and is kept in the action log.

use std::collections::HashMap;

use super::form::ServiceError;
use super::roster;
use jiayuan_domain::input::ContactInput;

use crate::action_log::{self, Act, Actor, Entry};
use crate::db::{Database, placeholders};
use crate::error::{AppError, Tx};

/// A guardian as staff see them: who to call.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Guardian {
    pub id: String,
    pub full_name: String,
    pub phone: Option<String>,
}

/// Someone who is not a resident and may collect the child, as staff noted them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Contact {
    pub id: String,
    pub name: String,
    pub phone: String,
    pub relation: Option<String>,
}

/// A child's guardians and pick-up contacts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfChild {
    pub guardians: Vec<Guardian>,
    pub contacts: Vec<Contact>,
}

fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> AppError {
    AppError::db(context)
}

/// A child's guardians and contacts, for the child's page and the room's list.
pub async fn of_child(db: &Database, site_id: &str, child_id: &str) -> Result<OfChild, AppError> {
    Ok(of_children(db, site_id, &[child_id]).await?.remove(child_id).unwrap_or_default())
}

/// The same for several children at once, by child.
pub async fn of_children(
    database: &Database,
    site_id: &str,
    child_ids: &[&str],
) -> Result<HashMap<String, OfChild>, AppError> {
    let mut by_child: HashMap<String, OfChild> = HashMap::new();
    for chunk in child_ids.chunks(400) {
        let list = placeholders(2, chunk.len());
        let statement = format!(
            "SELECT guardians.child_id, residents.id, residents.full_name, residents.phone FROM guardians \
             JOIN residents ON residents.id = guardians.guardian_id \
             WHERE guardians.site_id = $1 AND guardians.child_id IN ({list}) ORDER BY residents.id"
        );
        let mut query = sqlx::query_as::<_, (String, String, String, Option<String>)>(&statement).bind(site_id);
        for id in chunk {
            query = query.bind(id.to_string());
        }
        for (child, id, full_name, phone) in query.fetch_all(&database.pool).await.map_err(db("reading guardians"))? {
            by_child.entry(child).or_default().guardians.push(Guardian { id, full_name, phone });
        }
        let statement = format!(
            "SELECT child_id, id, name, phone, relation FROM pick_up_contacts \
             WHERE site_id = $1 AND child_id IN ({list}) ORDER BY name, id"
        );
        let mut query = sqlx::query_as::<_, (String, String, String, String, Option<String>)>(&statement).bind(site_id);
        for id in chunk {
            query = query.bind(id.to_string());
        }
        let rows = query.fetch_all(&database.pool).await.map_err(db("reading pick-up contacts"))?;
        for (child, id, name, phone, relation) in rows {
            by_child.entry(child).or_default().contacts.push(Contact { id, name, phone, relation });
        }
    }
    Ok(by_child)
}

/// The children `guardian_id` collects, as (id, full name), for their page.
pub async fn children_of(db: &Database, site_id: &str, guardian_id: &str) -> Result<Vec<(String, String)>, AppError> {
    sqlx::query_as(
        "SELECT residents.id, residents.full_name FROM guardians JOIN residents ON residents.id = guardians.child_id \
         WHERE guardians.site_id = $1 AND guardians.guardian_id = $2 ORDER BY residents.id",
    )
    .bind(site_id)
    .bind(guardian_id)
    .fetch_all(&db.pool)
    .await
    .map_err(self::db("reading a guardian's children"))
}

const CHANGING: &str = "changing a child's guardians";

/// The resident of `site_id` whose id or card number staff typed.
async fn resident_typed(db: &Database, site_id: &str, typed: &str) -> Result<roster::ResidentRow, ServiceError> {
    let typed = typed.trim();
    let unknown = || ServiceError::field("guardian", "guardians.problem.unknown");
    if typed.is_empty() {
        return Err(unknown());
    }
    if let Ok(row) = roster::find(db, site_id, typed).await {
        return Ok(row);
    }
    let by_card: Option<String> =
        sqlx::query_scalar("SELECT id FROM residents WHERE site_id = $1 AND card_number = $2")
            .bind(site_id)
            .bind(typed)
            .fetch_optional(&db.pool)
            .await
            .map_err(AppError::db("finding a guardian"))?;
    match by_card {
        Some(id) => roster::find(db, site_id, &id).await.map_err(|_| unknown()),
        None => Err(unknown()),
    }
}

/// Lists the resident staff typed (their id or card number) as a guardian of `child_id`,
/// both residents of `site_id`.
pub async fn add(db: &Database, actor: &Actor, site_id: &str, child_id: &str, typed: &str) -> Result<(), ServiceError> {
    roster::find(db, site_id, child_id).await?;
    let guardian = resident_typed(db, site_id, typed).await?;
    let guardian_id = guardian.id.as_str();
    if guardian_id == child_id {
        return Err(ServiceError::field("guardian", "guardians.problem.self"));
    }
    let mut tx = db.begin_write().await.map_err(AppError::db(CHANGING))?;
    let added = crate::handover::list_guardian(&mut tx, site_id, child_id, guardian_id)
        .await
        .map_err(AppError::db(CHANGING))?;
    if added {
        crate::roster::send_again(&mut tx, site_id, &[guardian_id]).await.map_err(AppError::db(CHANGING))?;
        let detail = Some(format!("{} ({guardian_id})", guardian.full_name));
        log(&mut tx, actor, site_id, Act::GuardianAdded, child_id, detail).await?;
    }
    tx.commit().await.map_err(AppError::db(CHANGING))?;
    Ok(())
}

/// Takes `guardian_id` off `child_id`'s guardians.
pub async fn remove(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    child_id: &str,
    guardian_id: &str,
) -> Result<(), ServiceError> {
    roster::find(db, site_id, child_id).await?;
    let mut tx = db.begin_write().await.map_err(AppError::db(CHANGING))?;
    let removed = sqlx::query("DELETE FROM guardians WHERE site_id = $1 AND child_id = $2 AND guardian_id = $3")
        .bind(site_id)
        .bind(child_id)
        .bind(guardian_id)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(CHANGING))?;
    if removed.rows_affected() == 0 {
        return Err(ServiceError::NotFound);
    }
    crate::roster::send_again(&mut tx, site_id, &[guardian_id]).await.map_err(AppError::db(CHANGING))?;
    log(&mut tx, actor, site_id, Act::GuardianRemoved, child_id, Some(guardian_id.to_owned())).await?;
    tx.commit().await.map_err(AppError::db(CHANGING))?;
    Ok(())
}

/// Adds a pick-up contact for `child_id`.
pub async fn add_contact(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    child_id: &str,
    contact: &ContactInput,
) -> Result<(), ServiceError> {
    roster::find(db, site_id, child_id).await?;
    let contact = contact.check().map_err(|problems| ServiceError::from_domain(&problems))?;
    let mut tx = db.begin_write().await.map_err(AppError::db(CHANGING))?;
    crate::handover::add_contact(&mut tx, site_id, child_id, &contact).await.map_err(AppError::db(CHANGING))?;
    // The name, not the phone: the log is read by every viewer.
    log(&mut tx, actor, site_id, Act::PickUpContactAdded, child_id, Some(contact.name.clone())).await?;
    tx.commit().await.map_err(AppError::db(CHANGING))?;
    Ok(())
}

/// Removes one of `child_id`'s pick-up contacts.
pub async fn remove_contact(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    child_id: &str,
    contact_id: &str,
) -> Result<(), ServiceError> {
    let mut tx = db.begin_write().await.map_err(AppError::db(CHANGING))?;
    let name: Option<String> = sqlx::query_scalar(
        "DELETE FROM pick_up_contacts WHERE site_id = $1 AND child_id = $2 AND id = $3 RETURNING name",
    )
    .bind(site_id)
    .bind(child_id)
    .bind(contact_id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(AppError::db(CHANGING))?;
    let Some(name) = name else { return Err(ServiceError::NotFound) };
    log(&mut tx, actor, site_id, Act::PickUpContactRemoved, child_id, Some(name)).await?;
    tx.commit().await.map_err(AppError::db(CHANGING))?;
    Ok(())
}

async fn log(
    tx: &mut Tx,
    actor: &Actor,
    site_id: &str,
    act: Act,
    child_id: &str,
    detail: Option<String>,
) -> Result<(), AppError> {
    action_log::record(
        tx,
        Entry { site_id: Some(site_id), actor, act, subject: child_id.to_owned(), reason: None, detail },
    )
    .await
}

/// Writes a checked guardians file in one transaction: each guardian kept once, each contact
/// added; the guardians' rows go out to kiosks again; one line in the action log.
pub async fn write_file(
    db: &Database,
    actor: &Actor,
    site_id: &str,
    file_name: &str,
    rows: &[jiayuan_domain::input::GuardianRow],
) -> Result<(), AppError> {
    use jiayuan_domain::input::GuardianRow;
    let mut tx = db.begin_write().await.map_err(AppError::db(CHANGING))?;
    let (mut guardians, mut contacts) = (Vec::new(), 0);
    for row in rows {
        match row {
            GuardianRow::Guardian { child_id, guardian_id } => {
                crate::handover::list_guardian(&mut tx, site_id, child_id, guardian_id)
                    .await
                    .map_err(AppError::db(CHANGING))?;
                guardians.push(guardian_id.as_str());
            }
            GuardianRow::Contact { child_id, contact } => {
                crate::handover::add_contact(&mut tx, site_id, child_id, contact)
                    .await
                    .map_err(AppError::db(CHANGING))?;
                contacts += 1;
            }
        }
    }
    guardians.sort_unstable();
    guardians.dedup();
    crate::roster::send_again(&mut tx, site_id, &guardians).await.map_err(AppError::db(CHANGING))?;
    let entry = Entry {
        site_id: Some(site_id),
        actor,
        act: Act::FileImported,
        subject: file_name.to_owned(),
        reason: None,
        detail: Some(format!("{} guardians, {contacts} pick-up contacts", guardians.len())),
    };
    action_log::record(&mut tx, entry).await?;
    tx.commit().await.map_err(AppError::db(CHANGING))?;
    Ok(())
}
