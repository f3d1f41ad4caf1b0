//! Communities side by side, for a head office (总部) that reads several sites: each site's
//! figures for the period, counted by the code of the site's own reports (the summary,
//! satisfaction, the time bank), and the whole. A resident belongs to one site and counts there
//! only, so the whole adds the sites up and still counts each resident once.

use jiayuan_domain::reports::participation_per_mille;
use jiayuan_domain::satisfaction::RatingCounts;

use crate::db::Database;
use crate::error::AppError;

use super::Scope;
use super::visits::{AgeFigures, MonthFigures};

/// One community's figures, or the whole's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommunityFigures {
    pub site_id: String,
    pub name: String,
    /// Residents on the roster during the period.
    pub roster: i64,
    /// Residents who came at least once, each once.
    pub came: i64,
    /// `came` per thousand of `roster`.
    pub participation: Option<i64>,
    /// Sessions that ended and were not cancelled.
    pub sessions_held: i64,
    /// Visits (人次): each resident once a day they came, and each visitor.
    pub visits: i64,
    /// Residents checked in at the sessions held, each once a session.
    pub checked_in: i64,
    pub no_shows: i64,
    pub ratings: RatingCounts,
    /// Volunteers' hours counted in the period (爱心银行), in half hours.
    pub service_half_hours: i64,
    /// Volunteers with hours in the period.
    pub volunteers: i64,
    /// Month by month, residents who came against the roster: the trend.
    pub months: Vec<MonthFigures>,
    /// Residents who came against the roster, by age group (一老一少).
    pub by_age: Vec<AgeFigures>,
}

impl CommunityFigures {
    /// Satisfied per thousand of those who answered.
    pub fn satisfied(&self) -> Option<i64> {
        self.ratings.satisfied_per_mille()
    }

    /// Adds `other`'s figures to these (the whole of several communities).
    fn add(&mut self, other: &CommunityFigures) {
        self.roster += other.roster;
        self.came += other.came;
        self.participation = participation_per_mille(self.came, self.roster);
        self.sessions_held += other.sessions_held;
        self.visits += other.visits;
        self.checked_in += other.checked_in;
        self.no_shows += other.no_shows;
        self.ratings.add_counts(&other.ratings);
        self.service_half_hours += other.service_half_hours;
        self.volunteers += other.volunteers;
        for month in &other.months {
            match self.months.iter_mut().find(|m| m.month == month.month) {
                Some(mine) => mine.came += month.came,
                None => self.months.push(MonthFigures { participation: None, ..month.clone() }),
            }
        }
        self.months.sort_by(|a, b| a.month.cmp(&b.month));
        for month in &mut self.months {
            month.participation = participation_per_mille(month.came, self.roster);
        }
        for group in &other.by_age {
            match self.by_age.iter_mut().find(|g| g.group == group.group) {
                Some(mine) => {
                    mine.came += group.came;
                    mine.roster += group.roster;
                    mine.participation = participation_per_mille(mine.came, mine.roster);
                }
                None => self.by_age.push(group.clone()),
            }
        }
        self.by_age.sort_by_key(|g| g.group);
    }
}

/// The communities and their whole.
#[derive(Debug, Clone, Default)]
pub struct SideBySide {
    /// In the order of `sites`.
    pub communities: Vec<CommunityFigures>,
    pub whole: CommunityFigures,
}

/// The figures of each of `sites` (id, name) over `scope`'s period, every room: the caller
/// has checked the account reads them all.
pub async fn side_by_side(db: &Database, sites: &[(String, String)], scope: Scope<'_>) -> Result<SideBySide, AppError> {
    // A few communities at once: each is several reads that wait on the database.
    let mut communities = Vec::with_capacity(sites.len());
    for some in sites.chunks(AT_ONCE) {
        let mut reads = Vec::with_capacity(some.len());
        for (site_id, name) in some {
            reads.push(of_site(db, Scope { site_id, room_id: "", ..scope }, name));
        }
        communities.extend(futures_util::future::try_join_all(reads).await?);
    }
    let mut whole = CommunityFigures::default();
    for figures in &communities {
        whole.add(figures);
    }
    Ok(SideBySide { communities, whole })
}

/// Communities whose figures are read at the same time.
const AT_ONCE: usize = 4;

/// One site's figures, from its own reports.
pub async fn of_site(db: &Database, scope: Scope<'_>, name: &str) -> Result<CommunityFigures, AppError> {
    let (visits, sessions, satisfaction, (service_half_hours, volunteers)) = tokio::try_join!(
        super::visits::visits(db, scope),
        super::activities::sessions(db, scope),
        super::satisfaction::satisfaction(db, scope),
        crate::time_bank::counted_in_period(db, scope.site_id, scope.period.from, scope.period.to),
    )?;
    let held = super::summary::SessionTotals::of(&sessions);
    Ok(CommunityFigures {
        site_id: scope.site_id.to_owned(),
        name: name.to_owned(),
        roster: visits.roster,
        came: visits.unique_residents,
        participation: visits.participation,
        sessions_held: held.held,
        visits: visits.resident_days + visits.visitors,
        checked_in: held.checked_in,
        no_shows: held.no_shows,
        ratings: satisfaction.all,
        service_half_hours,
        volunteers,
        months: visits.months.clone(),
        by_age: visits.by_age.clone(),
    })
}
