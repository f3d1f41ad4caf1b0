//! Staff accounts: made by an administrator (or `jiayuan-server add-staff`) with a one-time
//! password, signed in with Argon2id-checked passwords; a changed password, role or site list,
//! or a removed account, ends the account's sessions at once.

use crate::action_log::{self, Act, Actor, Entry};
use crate::clock::now_ms;
use crate::console::auth::{Role, password, sessions};
use crate::console::form::{FieldProblem, ServiceError};
use crate::db::Database;
use crate::error::AppError;

/// A staff account as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    pub id: String,
    pub display_name: String,
    pub role: Role,
    pub sites: Vec<String>,
    pub must_change_password: bool,
    pub removed: bool,
}

/// What an administrator fills in for an account.
#[derive(Debug, Clone)]
pub struct AccountForm {
    pub id: String,
    pub display_name: String,
    pub role: Role,
    pub sites: Vec<String>,
}

const DB: &str = "saving a staff account";

/// The account `staff_id` may sign in to, when `password` is theirs: its first site.
pub async fn check_sign_in(db: &Database, staff_id: &str, password: &str) -> Result<Option<String>, AppError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT id, password_hash FROM staff WHERE lower(id) = lower($1) AND removed_at IS NULL")
            .bind(staff_id.trim())
            .fetch_optional(&db.pool)
            .await
            .map_err(AppError::db("checking a password"))?;
    let (id, phc) = match &row {
        Some((id, phc)) => (id.as_str(), phc.as_str()),
        None => ("", password::decoy()),
    };
    // Hashing is slow on purpose: off the async threads.
    let (password, phc) = (password.to_owned(), phc.to_owned());
    let matches = tokio::task::spawn_blocking(move || password::verify(&password, &phc))
        .await
        .map_err(|_| AppError::Unfinished("checking a password"))?;
    if row.is_none() || !matches {
        return Ok(None);
    }
    Ok(Some(id.to_owned()))
}

/// The site a new session of `staff_id` starts on: the first they hold.
pub async fn first_site(db: &Database, staff_id: &str) -> Result<Option<String>, AppError> {
    sqlx::query_scalar("SELECT site_id FROM staff_sites WHERE staff_id = $1 ORDER BY site_id LIMIT 1")
        .bind(staff_id)
        .fetch_optional(&db.pool)
        .await
        .map_err(AppError::db("reading a staff member's sites"))
}

/// Replaces `staff_id`'s password after checking the current one; ends all their sessions
/// (the caller starts a new one for the browser that did it).
pub async fn change_own_password(
    db: &Database,
    staff_id: &str,
    current: &str,
    new: &str,
    again: &str,
) -> Result<(), ServiceError> {
    if check_sign_in(db, staff_id, current).await?.is_none() {
        return Err(ServiceError::field("current", "password.wrong_current"));
    }
    match password::check_new(new, staff_id) {
        Err(password::Weakness::TooShort) => return Err(ServiceError::field("new", "password.too_short")),
        Err(password::Weakness::SameAsName) => return Err(ServiceError::field("new", "password.same_as_name")),
        Ok(()) if new == current => return Err(ServiceError::field("new", "password.same_as_before")),
        Ok(()) => {}
    }
    if new != again {
        return Err(ServiceError::field("again", "password.not_the_same"));
    }
    set_password(db, &Actor::Staff(staff_id.to_owned()), staff_id, new, Act::PasswordChanged).await?;
    Ok(())
}

/// Replaces `staff_id`'s password and ends all their sessions. A password reset by someone
/// else is one-time: its owner chooses their own at the next sign-in.
async fn set_password(db: &Database, actor: &Actor, staff_id: &str, password: &str, act: Act) -> Result<(), AppError> {
    let phc = hash_off_thread(password).await?;
    let one_time = act == Act::PasswordReset;
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    sqlx::query("UPDATE staff SET password_hash = $2, must_change_password = $3 WHERE id = $1")
        .bind(staff_id)
        .bind(phc)
        .bind(i64::from(one_time))
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    sessions::end_all(&mut tx, staff_id).await?;
    log(&mut tx, actor, act, staff_id.to_owned(), None).await?;
    tx.commit().await.map_err(AppError::db(DB))
}

/// Writes what was done to an account in the action log (accounts belong to the whole server).
async fn log(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    act: Act,
    subject: String,
    detail: Option<String>,
) -> Result<(), AppError> {
    action_log::record(tx, Entry { site_id: None, actor, act, subject, reason: None, detail }).await
}

async fn hash_off_thread(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(|_| AppError::Unfinished("hashing a password"))?
}

/// Sign-in names: 1 to 64 letters, digits, '.', '-' or '_' (wang.li, zhang-3).
pub fn is_valid_account_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

fn check_form(form: &AccountForm) -> Result<(), ServiceError> {
    let mut problems = Vec::new();
    if !is_valid_account_name(&form.id) {
        problems.push(FieldProblem::new("id", "staff.problem.id"));
    }
    if form.display_name.trim().is_empty() {
        problems.push(FieldProblem::new("display_name", "staff.problem.display_name"));
    }
    if form.sites.is_empty() {
        problems.push(FieldProblem::new("sites", "staff.problem.sites"));
    }
    if problems.is_empty() { Ok(()) } else { Err(ServiceError::Form(problems)) }
}

async fn sites_exist(tx: &mut sqlx::Transaction<'static, sqlx::Any>, sites: &[String]) -> Result<bool, AppError> {
    for site in sites {
        let found: Option<String> = sqlx::query_scalar("SELECT id FROM sites WHERE id = $1")
            .bind(site)
            .fetch_optional(&mut **tx)
            .await
            .map_err(AppError::db(DB))?;
        if found.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Makes an account; its one-time password, to hand over (shown once, never kept in clear).
pub async fn add(db: &Database, actor: &Actor, form: &AccountForm) -> Result<String, ServiceError> {
    check_form(form)?;
    let one_time = password::one_time();
    let phc = hash_off_thread(&one_time).await?;
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM staff WHERE lower(id) = lower($1)")
        .bind(&form.id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    if taken.is_some() {
        return Err(ServiceError::field("id", "staff.problem.id_taken"));
    }
    if !sites_exist(&mut tx, &form.sites).await? {
        return Err(ServiceError::field("sites", "staff.problem.unknown_site"));
    }
    sqlx::query(
        "INSERT INTO staff (id, display_name, role, password_hash, must_change_password, created_at) \
         VALUES ($1, $2, $3, $4, 1, $5)",
    )
    .bind(&form.id)
    .bind(form.display_name.trim())
    .bind(form.role.as_str())
    .bind(phc)
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .map_err(AppError::db(DB))?;
    write_sites(&mut tx, &form.id, &form.sites).await?;
    log(
        &mut tx,
        actor,
        Act::StaffAdded,
        form.id.clone(),
        Some(format!("{} · {}", form.role.as_str(), form.sites.join(", "))),
    )
    .await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(one_time)
}

async fn write_sites(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    staff_id: &str,
    sites: &[String],
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM staff_sites WHERE staff_id = $1")
        .bind(staff_id)
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    for site in sites {
        sqlx::query("INSERT INTO staff_sites (staff_id, site_id) VALUES ($1, $2)")
            .bind(staff_id)
            .bind(site)
            .execute(&mut **tx)
            .await
            .map_err(AppError::db(DB))?;
    }
    Ok(())
}

/// Accounts that hold any of `sites` (an administrator sees those of their sites).
pub async fn list(db: &Database, sites: &[String]) -> Result<Vec<StaffAccount>, AppError> {
    let rows: Vec<(String, String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, display_name, role, must_change_password, removed_at FROM staff ORDER BY removed_at IS NOT NULL, id",
    )
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("listing staff accounts"))?;
    let links: Vec<(String, String)> = sqlx::query_as("SELECT staff_id, site_id FROM staff_sites ORDER BY site_id")
        .fetch_all(&db.pool)
        .await
        .map_err(AppError::db("listing staff accounts"))?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, display_name, role, must_change, removed_at)| {
            let account_sites: Vec<String> =
                links.iter().filter(|(staff, _)| *staff == id).map(|(_, site)| site.clone()).collect();
            let shares_a_site = account_sites.iter().any(|site| sites.contains(site)) || account_sites.is_empty();
            shares_a_site.then(|| StaffAccount {
                id,
                display_name,
                role: Role::parse(&role).unwrap_or(Role::Viewer),
                sites: account_sites,
                must_change_password: must_change != 0,
                removed: removed_at.is_some(),
            })
        })
        .collect())
}

pub async fn find(db: &Database, staff_id: &str) -> Result<Option<StaffAccount>, AppError> {
    let sites: Vec<String> = sqlx::query_scalar("SELECT site_id FROM staff_sites WHERE staff_id = $1")
        .bind(staff_id)
        .fetch_all(&db.pool)
        .await
        .map_err(AppError::db("reading a staff account"))?;
    Ok(list(db, &sites).await?.into_iter().find(|account| account.id == staff_id))
}

/// The sites `staff_id` holds.
pub async fn sites_of(db: &Database, staff_id: &str) -> Result<Vec<String>, AppError> {
    sqlx::query_scalar("SELECT site_id FROM staff_sites WHERE staff_id = $1 ORDER BY site_id")
        .bind(staff_id)
        .fetch_all(&db.pool)
        .await
        .map_err(AppError::db("reading a staff member's sites"))
}

/// Changes an account's name, role and sites; a changed role or site list ends its sessions.
pub async fn change(db: &Database, actor: &Actor, form: &AccountForm) -> Result<(), ServiceError> {
    check_form(form)?;
    let before = find(db, &form.id).await?.ok_or(AppError::NotFound(format!("staff account {}", form.id)))?;
    if before.removed {
        return Err(AppError::NotFound(format!("staff account {}", form.id)).into());
    }
    if before.role.is_administrator() && !form.role.is_administrator() {
        ensure_another_administrator(db, &form.id).await?;
    }
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    if !sites_exist(&mut tx, &form.sites).await? {
        return Err(ServiceError::field("sites", "staff.problem.unknown_site"));
    }
    sqlx::query("UPDATE staff SET display_name = $2, role = $3 WHERE id = $1")
        .bind(&form.id)
        .bind(form.display_name.trim())
        .bind(form.role.as_str())
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    write_sites(&mut tx, &form.id, &form.sites).await?;
    let mut sorted = form.sites.clone();
    sorted.sort();
    if before.role != form.role || before.sites != sorted {
        sessions::end_all(&mut tx, &form.id).await?;
    }
    log(
        &mut tx,
        actor,
        Act::StaffChanged,
        form.id.clone(),
        Some(format!("{} · {}", form.role.as_str(), sorted.join(", "))),
    )
    .await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

async fn ensure_another_administrator(db: &Database, staff_id: &str) -> Result<(), ServiceError> {
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff WHERE role = 'administrator' AND removed_at IS NULL AND id <> $1",
    )
    .bind(staff_id)
    .fetch_one(&db.pool)
    .await
    .map_err(AppError::db(DB))?;
    if others == 0 { Err(ServiceError::field("role", "staff.problem.last_administrator")) } else { Ok(()) }
}

/// Removes an account: it cannot sign in, its sessions end, its past actions stay in the log.
pub async fn remove(db: &Database, actor: &Actor, staff_id: &str) -> Result<(), ServiceError> {
    let account = find(db, staff_id).await?.ok_or(AppError::NotFound(format!("staff account {staff_id}")))?;
    if *actor == Actor::Staff(staff_id.to_owned()) {
        return Err(ServiceError::field("id", "staff.problem.remove_self"));
    }
    if account.role.is_administrator() {
        ensure_another_administrator(db, staff_id).await?;
    }
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    sqlx::query("UPDATE staff SET removed_at = $2 WHERE id = $1 AND removed_at IS NULL")
        .bind(staff_id)
        .bind(now_ms())
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    sessions::end_all(&mut tx, staff_id).await?;
    log(&mut tx, actor, Act::StaffRemoved, staff_id.to_owned(), None).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// A new one-time password for an account whose owner forgot theirs; ends its sessions.
pub async fn reset_password(db: &Database, actor: &Actor, staff_id: &str) -> Result<String, ServiceError> {
    let account = find(db, staff_id).await?.ok_or(AppError::NotFound(format!("staff account {staff_id}")))?;
    if account.removed {
        return Err(AppError::NotFound(format!("staff account {staff_id}")).into());
    }
    let one_time = password::one_time();
    set_password(db, actor, staff_id, &one_time, Act::PasswordReset).await?;
    Ok(one_time)
}
