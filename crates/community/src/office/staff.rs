//! Staff accounts: made by an administrator (or `jiayuan-server add-staff`) with a one-time
//! password, signed in with Argon2id-checked passwords; a changed password, role or site list,
//! or a removed account, ends the account's sessions at once.

use crate::action_log::{self, Act, Actor, Entry};
use crate::clock::now_ms;
use crate::db::Database;
use crate::error::{AppError, Tx};
use crate::office::accounts::{Role, password, sessions};
use crate::office::form::{FieldProblem, ServiceError};

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

/// An account as one administrator sees it: only the sites they hold, and whether they may
/// change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub account: StaffAccount,
    /// The account's sites the viewer holds too (the others are not named to them).
    pub shared_sites: Vec<String>,
    /// How many of the account's sites the viewer does not hold.
    pub other_sites: usize,
    /// Whether the viewer may change, reset or remove it (`may_manage`).
    pub manageable: bool,
}

/// Who is changing an account: the command line may change any; an administrator only those
/// whose every site they hold (`may_manage`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Manager {
    CommandLine,
    Administrator { sites: Vec<String>, of_every_site: bool },
}

impl Manager {
    async fn of(tx: &mut Tx, actor: &Actor) -> Result<Manager, AppError> {
        let Actor::Staff(id) = actor else { return Ok(Manager::CommandLine) };
        let sites: Vec<String> = sqlx::query_scalar("SELECT site_id FROM staff_sites WHERE staff_id = $1")
            .bind(id)
            .fetch_all(&mut **tx)
            .await
            .map_err(AppError::db(DB))?;
        let all: Vec<String> =
            sqlx::query_scalar("SELECT id FROM sites").fetch_all(&mut **tx).await.map_err(AppError::db(DB))?;
        let of_every_site = all.iter().all(|site| sites.contains(site));
        Ok(Manager::Administrator { sites, of_every_site })
    }

    fn may_manage(&self, account_sites: &[String]) -> bool {
        match self {
            Manager::CommandLine => true,
            Manager::Administrator { sites, of_every_site } => may_manage(sites, *of_every_site, account_sites),
        }
    }

    /// The sites `asked` gives, checked: an administrator gives only sites they hold.
    fn may_give(&self, asked: &[String]) -> bool {
        match self {
            Manager::CommandLine => true,
            Manager::Administrator { sites, .. } => asked.iter().all(|site| sites.contains(site)),
        }
    }
}

/// The rule for changing, resetting or removing an account: an administrator holding `own`
/// sites manages an account only when they hold every site it holds, so no administrator of
/// one community can take over an account that also works for another. An account of no
/// site belongs to the whole server: only an administrator of every site manages it.
pub fn may_manage(own: &[String], of_every_site: bool, account_sites: &[String]) -> bool {
    if account_sites.is_empty() {
        return of_every_site;
    }
    account_sites.iter().all(|site| own.contains(site))
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

/// A sign-in name as it is looked up and counted: what staff type, with the spaces a phone's
/// or a Chinese keyboard adds (full-width ones too) trimmed, full-width letters and digits as
/// ASCII, and capitals as small letters. Account names are ASCII (`is_valid_account_name`),
/// so every way of typing one comes to the same key.
pub fn account_key(typed: &str) -> String {
    typed
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_lowercase()
}

/// The account `account` (an `account_key`) names, when `password` is theirs.
pub async fn check_sign_in(db: &Database, account: &str, password: &str) -> Result<Option<String>, AppError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT id, password_hash FROM staff WHERE lower(id) = $1 AND removed_at IS NULL")
            .bind(account_key(account))
            .fetch_optional(&db.pool)
            .await
            .map_err(AppError::db("checking a password"))?;
    let (id, phc) = match &row {
        Some((id, phc)) => (id.as_str(), phc.as_str()),
        None => ("", password::decoy()),
    };
    let matches = password::verify_in_turn(password, phc).await?;
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
/// A reset by an administrator is allowed only on an account they may manage (`may_manage`).
async fn set_password(
    db: &Database,
    actor: &Actor,
    staff_id: &str,
    password: &str,
    act: Act,
) -> Result<(), ServiceError> {
    let phc = password::hash_in_turn(password).await?;
    let one_time = act == Act::PasswordReset;
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    if one_time {
        let manager = Manager::of(&mut tx, actor).await?;
        manageable_account(&mut tx, &manager, staff_id).await?;
    }
    sqlx::query("UPDATE staff SET password_hash = $2, must_change_password = $3 WHERE id = $1")
        .bind(staff_id)
        .bind(phc)
        .bind(i64::from(one_time))
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    sessions::end_all(&mut tx, staff_id).await?;
    log(&mut tx, actor, act, staff_id.to_owned(), None).await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

/// Writes what was done to an account in the action log (accounts belong to the whole server).
async fn log(tx: &mut Tx, actor: &Actor, act: Act, subject: String, detail: Option<String>) -> Result<(), AppError> {
    action_log::record(tx, Entry { site_id: None, actor, act, subject, reason: None, detail }).await
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

async fn sites_exist(tx: &mut Tx, sites: &[String]) -> Result<bool, AppError> {
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
/// An administrator gives it only sites they hold.
pub async fn add(db: &Database, actor: &Actor, form: &AccountForm) -> Result<String, ServiceError> {
    check_form(form)?;
    let one_time = password::one_time();
    let phc = password::hash_in_turn(&one_time).await?;
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM staff WHERE lower(id) = lower($1)")
        .bind(&form.id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    if taken.is_some() {
        return Err(ServiceError::field("id", "staff.problem.id_taken"));
    }
    if !Manager::of(&mut tx, actor).await?.may_give(&form.sites) || !sites_exist(&mut tx, &form.sites).await? {
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

async fn write_sites(tx: &mut Tx, staff_id: &str, sites: &[String]) -> Result<(), AppError> {
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

/// Every account with its sites.
async fn all_accounts(db: &Database) -> Result<Vec<StaffAccount>, AppError> {
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
        .map(|(id, display_name, role, must_change, removed_at)| {
            let sites = links.iter().filter(|(staff, _)| *staff == id).map(|(_, site)| site.clone()).collect();
            StaffAccount {
                id,
                display_name,
                role: Role::parse(&role).unwrap_or(Role::Viewer),
                sites,
                must_change_password: must_change != 0,
                removed: removed_at.is_some(),
            }
        })
        .collect())
}

/// The accounts administrator `viewer` sees: those sharing a site with them (and those of no
/// site, to an administrator of every site), each with whether they may manage it.
pub async fn list(db: &Database, viewer: &str) -> Result<Vec<Listed>, AppError> {
    let own = sites_of(db, viewer).await?;
    let all_sites: Vec<String> =
        sqlx::query_scalar("SELECT id FROM sites").fetch_all(&db.pool).await.map_err(AppError::db("listing sites"))?;
    let of_every_site = all_sites.iter().all(|site| own.contains(site));
    Ok(all_accounts(db)
        .await?
        .into_iter()
        .filter(|account| {
            account.sites.iter().any(|site| own.contains(site)) || (account.sites.is_empty() && of_every_site)
        })
        .map(|account| {
            let shared_sites: Vec<String> = account.sites.iter().filter(|site| own.contains(site)).cloned().collect();
            Listed {
                other_sites: account.sites.len() - shared_sites.len(),
                manageable: may_manage(&own, of_every_site, &account.sites),
                shared_sites,
                account,
            }
        })
        .collect())
}

/// One account, as it is (whoever may see it).
pub async fn find(db: &Database, staff_id: &str) -> Result<Option<StaffAccount>, AppError> {
    Ok(all_accounts(db).await?.into_iter().find(|account| account.id == staff_id))
}

/// The account `staff_id` and its sites, read in the transaction that changes it.
async fn account_in(tx: &mut Tx, staff_id: &str) -> Result<Option<(Role, Vec<String>, bool)>, AppError> {
    let row: Option<(String, Option<i64>)> = sqlx::query_as("SELECT role, removed_at FROM staff WHERE id = $1")
        .bind(staff_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    let Some((role, removed_at)) = row else { return Ok(None) };
    let mut sites: Vec<String> = sqlx::query_scalar("SELECT site_id FROM staff_sites WHERE staff_id = $1")
        .bind(staff_id)
        .fetch_all(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    sites.sort();
    Ok(Some((Role::parse(&role).unwrap_or(Role::Viewer), sites, removed_at.is_some())))
}

/// The account `staff_id` if `manager` may manage it and it is not removed: its role and
/// sites. Another's account answers "not found", as if it were not there.
async fn manageable_account(
    tx: &mut Tx,
    manager: &Manager,
    staff_id: &str,
) -> Result<(Role, Vec<String>), ServiceError> {
    match account_in(tx, staff_id).await? {
        Some((role, sites, false)) if manager.may_manage(&sites) => Ok((role, sites)),
        _ => Err(ServiceError::NotFound),
    }
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
/// An administrator changes only accounts whose every site they hold, gives only their own
/// sites, and the account keeps the sites they do not hold.
pub async fn change(db: &Database, actor: &Actor, form: &AccountForm) -> Result<(), ServiceError> {
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let manager = Manager::of(&mut tx, actor).await?;
    let (role_before, sites_before) = manageable_account(&mut tx, &manager, &form.id).await?;
    check_form(form)?;
    if !manager.may_give(&form.sites) || !sites_exist(&mut tx, &form.sites).await? {
        return Err(ServiceError::field("sites", "staff.problem.unknown_site"));
    }
    if role_before.is_administrator() && !form.role.is_administrator() {
        ensure_another_administrator(&mut tx, &form.id).await?;
    }
    // Every site the account held is the editor's (`may_manage`), so the form, which offers
    // the editor's sites, shows them all: none is dropped unseen.
    let mut sites = form.sites.clone();
    sites.sort();
    sites.dedup();
    sqlx::query("UPDATE staff SET display_name = $2, role = $3 WHERE id = $1")
        .bind(&form.id)
        .bind(form.display_name.trim())
        .bind(form.role.as_str())
        .execute(&mut **tx)
        .await
        .map_err(AppError::db(DB))?;
    write_sites(&mut tx, &form.id, &sites).await?;
    if role_before != form.role || sites_before != sites {
        sessions::end_all(&mut tx, &form.id).await?;
    }
    log(
        &mut tx,
        actor,
        Act::StaffChanged,
        form.id.clone(),
        Some(format!("{} · {}", form.role.as_str(), sites.join(", "))),
    )
    .await?;
    tx.commit().await.map_err(AppError::db(DB))?;
    Ok(())
}

async fn ensure_another_administrator(tx: &mut Tx, staff_id: &str) -> Result<(), ServiceError> {
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff WHERE role = 'administrator' AND removed_at IS NULL AND id <> $1",
    )
    .bind(staff_id)
    .fetch_one(&mut **tx)
    .await
    .map_err(AppError::db(DB))?;
    if others == 0 { Err(ServiceError::field("role", "staff.problem.last_administrator")) } else { Ok(()) }
}

/// Removes an account: it cannot sign in, its sessions end, its past actions stay in the log.
pub async fn remove(db: &Database, actor: &Actor, staff_id: &str) -> Result<(), ServiceError> {
    let mut tx = db.begin_write().await.map_err(AppError::db(DB))?;
    let manager = Manager::of(&mut tx, actor).await?;
    let (role, _) = manageable_account(&mut tx, &manager, staff_id).await?;
    if *actor == Actor::Staff(staff_id.to_owned()) {
        return Err(ServiceError::field("id", "staff.problem.remove_self"));
    }
    if role.is_administrator() {
        ensure_another_administrator(&mut tx, staff_id).await?;
    }
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
    let one_time = password::one_time();
    set_password(db, actor, staff_id, &one_time, Act::PasswordReset).await?;
    Ok(one_time)
}
