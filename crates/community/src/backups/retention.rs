//! Which backups to keep: the newest 7 days', and the newest of each of the 4 weeks before
//! them (weeks the daily ones do not already cover). Everything else goes.

use std::path::PathBuf;

use time::Date;

const DAILY: usize = 7;
const WEEKLY: usize = 4;

fn week(day: Date) -> (i32, u8) {
    let (year, week, _) = day.to_iso_week_date();
    (year, week)
}

/// The backups to remove from `backups` (day taken, file; in any order).
pub fn to_remove(backups: &[(Date, PathBuf)]) -> Vec<PathBuf> {
    let mut newest_first: Vec<&(Date, PathBuf)> = backups.iter().collect();
    newest_first.sort_by(|a, b| b.cmp(a));
    let mut days: Vec<Date> = Vec::new();
    let mut weeks: Vec<(i32, u8)> = Vec::new();
    let mut keep: Vec<&PathBuf> = Vec::new();
    for (day, path) in &newest_first {
        if days.contains(day) {
            continue;
        }
        if days.len() < DAILY {
            days.push(*day);
            keep.push(path);
        }
    }
    let daily_weeks: Vec<(i32, u8)> = days.iter().map(|day| week(*day)).collect();
    let oldest_daily = days.last().copied();
    for (day, path) in &newest_first {
        let this_week = week(*day);
        let older = oldest_daily.is_some_and(|oldest| *day < oldest);
        if older && weeks.len() < WEEKLY && !daily_weeks.contains(&this_week) && !weeks.contains(&this_week) {
            weeks.push(this_week);
            keep.push(path);
        }
    }
    backups.iter().map(|(_, path)| path).filter(|path| !keep.contains(path)).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;
    use time::macros::date;

    fn kept(backups: &[(Date, PathBuf)]) -> Vec<String> {
        let removed = to_remove(backups);
        backups.iter().map(|(_, p)| p).filter(|p| !removed.contains(p)).map(|p| p.display().to_string()).collect()
    }

    #[test]
    fn seven_daily_and_four_weekly_are_kept() {
        // A backup every day for ten weeks, up to Tuesday 2026-12-01.
        let last = date!(2026 - 12 - 01);
        let backups: Vec<(Date, PathBuf)> = (0..70)
            .rev()
            .map(|ago| last - Duration::days(ago))
            .map(|day| (day, PathBuf::from(format!("{day}"))))
            .collect();
        assert_eq!(
            kept(&backups),
            [
                // The last backup of each of the four weeks before the daily ones (Sundays).
                "2026-11-01",
                "2026-11-08",
                "2026-11-15",
                "2026-11-22",
                // The last seven days.
                "2026-11-25",
                "2026-11-26",
                "2026-11-27",
                "2026-11-28",
                "2026-11-29",
                "2026-11-30",
                "2026-12-01",
            ]
        );
    }

    #[test]
    fn a_few_backups_are_all_kept_and_a_day_keeps_its_newest() {
        let backups = vec![
            (date!(2026 - 11 - 30), PathBuf::from("monday")),
            (date!(2026 - 12 - 01), PathBuf::from("tuesday-morning")),
            (date!(2026 - 12 - 01), PathBuf::from("tuesday-night")),
        ];
        assert_eq!(to_remove(&backups), [PathBuf::from("tuesday-morning")]);
    }
}
