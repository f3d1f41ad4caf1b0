//! How satisfied residents were (满意度): ratings of the period's sessions (by the session's
//! date), per activity (a weekly activity as one), per host and per month. Every percentage
//! comes with the number of residents who answered; skips are counted apart, never in it.

use std::collections::BTreeMap;

use jiayuan_domain::LocalizedText;
use jiayuan_domain::satisfaction::{Rating, RatingCounts};

use crate::db::Database;
use crate::error::AppError;
use crate::schedule::format_day;

use super::Scope;

/// Ratings added up under one name: an activity, a host or a month.
#[derive(Debug, Clone)]
pub struct Rated {
    pub name: LocalizedText,
    /// The activity's room (for activities).
    pub room_id: Option<String>,
    pub counts: RatingCounts,
}

#[derive(Debug, Clone, Default)]
pub struct SatisfactionReport {
    pub all: RatingCounts,
    /// Most satisfied first.
    pub activities: Vec<Rated>,
    pub hosts: Vec<Rated>,
    /// In month order.
    pub months: Vec<Rated>,
}

type Row = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    i64,
);

pub async fn satisfaction(db: &Database, scope: Scope<'_>) -> Result<SatisfactionReport, AppError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT COALESCE(activities.recurring_id, activities.id), activities.room_id, activities.title_zh_hans, \
                activities.title_zh_hant, activities.title_en, activities.host_zh_hans, activities.host_zh_hant, \
                activities.host_en, activities.day, ratings.rating, COUNT(*) \
         FROM ratings JOIN activities ON activities.id = ratings.activity_id \
         JOIN rooms ON rooms.id = activities.room_id \
         WHERE rooms.site_id = $1 AND ($2 = '' OR activities.room_id = $2) \
           AND activities.day >= $3 AND activities.day <= $4 \
         GROUP BY COALESCE(activities.recurring_id, activities.id), activities.room_id, activities.title_zh_hans, \
                  activities.title_zh_hant, activities.title_en, activities.host_zh_hans, activities.host_zh_hant, \
                  activities.host_en, activities.day, ratings.rating",
    )
    .bind(scope.site_id)
    .bind(scope.room_id)
    .bind(format_day(scope.period.from))
    .bind(format_day(scope.period.to))
    .fetch_all(&db.pool)
    .await
    .map_err(AppError::db("counting ratings"))?;
    let mut report = SatisfactionReport::default();
    let (mut activities, mut hosts, mut months) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for (key, room_id, zh_hans, zh_hant, en, host_zh_hans, host_zh_hant, host_en, day, rating, n) in rows {
        let Some(rating) = Rating::parse(&rating) else { continue };
        report.all.add(rating, n);
        let title = LocalizedText { zh_hans, zh_hant, en };
        let activity = activities.entry(key).or_insert_with(|| Rated {
            name: title,
            room_id: Some(room_id),
            counts: RatingCounts::default(),
        });
        activity.counts.add(rating, n);
        let host = LocalizedText { zh_hans: host_zh_hans, zh_hant: host_zh_hant, en: host_en };
        let by_host = hosts.entry(host.zh_hans.clone()).or_insert_with(|| Rated {
            name: host,
            room_id: None,
            counts: RatingCounts::default(),
        });
        by_host.counts.add(rating, n);
        let month: String = day.chars().take(7).collect();
        let by_month = months.entry(month.clone()).or_insert_with(|| Rated {
            name: LocalizedText { zh_hans: month, zh_hant: None, en: None },
            room_id: None,
            counts: RatingCounts::default(),
        });
        by_month.counts.add(rating, n);
    }
    let most_satisfied_first = |rated: &mut Vec<Rated>| {
        rated
            .sort_by_key(|r| (std::cmp::Reverse(r.counts.satisfied_per_mille().unwrap_or(-1)), r.name.zh_hans.clone()));
    };
    report.activities = activities.into_values().collect();
    most_satisfied_first(&mut report.activities);
    report.hosts = hosts.into_values().collect();
    most_satisfied_first(&mut report.hosts);
    report.months = months.into_values().collect();
    Ok(report)
}
