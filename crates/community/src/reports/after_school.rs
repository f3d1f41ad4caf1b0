//! After-school care (托管) over a period: each child's sessions at each care activity, late
//! pick-ups (after the session's end) and pick-ups by staff instead of a guardian, and those
//! never picked up at all; and each care activity's totals. Sessions that happened (not
//! cancelled, over by now); a weekly activity counts as one. Hand-overs are paired by the
//! domain's rules (`jiayuan_domain::handover`), whatever order they arrived in.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiayuan_domain::LocalizedText;

use super::Scope;
use crate::db::Database;
use crate::error::AppError;
use crate::handover::{at_sessions, ends_ms, starts_ms};
use crate::schedule::{self, SessionRow};

/// One child at one care activity over the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildFigures {
    pub child_id: String,
    pub full_name: String,
    pub title: LocalizedText,
    pub room_id: String,
    /// Sessions they were dropped off at.
    pub sessions: i64,
    /// Picked up after the end.
    pub late: i64,
    /// Checked out by staff (not a guardian at a kiosk).
    pub by_staff: i64,
    /// Dropped off and never picked up in the records.
    pub not_picked_up: i64,
}

/// A care activity's totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityFigures {
    pub title: LocalizedText,
    pub room_id: String,
    pub sessions: i64,
    /// Different children.
    pub children: i64,
    /// Drop-offs (人次).
    pub visits: i64,
    pub late: i64,
    pub by_staff: i64,
    pub not_picked_up: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AfterSchoolReport {
    /// By activity, then child's name.
    pub children: Vec<ChildFigures>,
    pub activities: Vec<ActivityFigures>,
}

/// The report for `scope`.
pub async fn after_school(db: &Database, scope: Scope<'_>) -> Result<AfterSchoolReport, AppError> {
    let sessions: Vec<SessionRow> = schedule::sessions_of_site(db, scope.site_id, scope.period.from, scope.period.to)
        .await?
        .into_iter()
        .filter(|s| s.activity.after_school && !s.cancelled)
        .filter(|s| scope.room_id.is_empty() || s.activity.room_id == scope.room_id)
        .filter(|s| ends_ms(s, scope.offset) <= scope.now_ms)
        .collect();
    let starts: Vec<(&str, i64)> =
        sessions.iter().map(|s| (s.activity.id.as_str(), starts_ms(s, scope.offset))).collect();
    let mut connection = db.pool.acquire().await.map_err(AppError::db("reading hand-overs"))?;
    let at = at_sessions(&mut connection, scope.site_id, &starts).await?;
    let by_id: HashMap<&str, &SessionRow> = sessions.iter().map(|s| (s.activity.id.as_str(), s)).collect();

    let mut activities: BTreeMap<String, (ActivityFigures, BTreeSet<String>)> = BTreeMap::new();
    for session in &sessions {
        let entry = activities.entry(session.activity_key().to_owned()).or_insert_with(|| {
            let figures = ActivityFigures {
                title: session.activity.title.clone(),
                room_id: session.activity.room_id.clone(),
                sessions: 0,
                children: 0,
                visits: 0,
                late: 0,
                by_staff: 0,
                not_picked_up: 0,
            };
            (figures, BTreeSet::new())
        });
        entry.0.sessions += 1;
    }
    let mut children: BTreeMap<(String, String), ChildFigures> = BTreeMap::new();
    for ((activity_id, child_id), at) in &at {
        let (Some(session), Some(_)) = (by_id.get(activity_id.as_str()), at.dropped_off_at) else { continue };
        let ends = ends_ms(session, scope.offset);
        let late = i64::from(at.picked_up_late(ends));
        let by_staff = i64::from(at.picked_up.is_some_and(|p| p.by_staff));
        let not_picked_up = i64::from(at.picked_up.is_none());
        let activity_key = session.activity_key().to_owned();
        if let Some((figures, seen)) = activities.get_mut(&activity_key) {
            figures.visits += 1;
            figures.late += late;
            figures.by_staff += by_staff;
            figures.not_picked_up += not_picked_up;
            seen.insert(child_id.clone());
        }
        let child = children.entry((activity_key, child_id.clone())).or_insert_with(|| ChildFigures {
            child_id: child_id.clone(),
            full_name: String::new(),
            title: session.activity.title.clone(),
            room_id: session.activity.room_id.clone(),
            sessions: 0,
            late: 0,
            by_staff: 0,
            not_picked_up: 0,
        });
        child.sessions += 1;
        child.late += late;
        child.by_staff += by_staff;
        child.not_picked_up += not_picked_up;
    }
    let ids: Vec<&str> = children.keys().map(|(_, child)| child.as_str()).collect();
    let names = crate::roster::full_names(db, scope.site_id, &ids).await?;
    let mut children: Vec<ChildFigures> = children
        .into_values()
        .map(|mut figures| {
            figures.full_name = names.get(&figures.child_id).cloned().unwrap_or_default();
            figures
        })
        .collect();
    children.sort_by(|a, b| {
        (&a.title.zh_hans, &a.full_name, &a.child_id).cmp(&(&b.title.zh_hans, &b.full_name, &b.child_id))
    });
    let activities = activities
        .into_values()
        .map(|(mut figures, seen)| {
            figures.children = i64::try_from(seen.len()).unwrap_or(i64::MAX);
            figures
        })
        .collect();
    Ok(AfterSchoolReport { children, activities })
}
