-- Summaries that keep a year's reports fast. Both are made from kiosk_records and can be made
-- again from them at any time (`jiayuan-server rebuild-summaries`); a test checks they agree.

-- Which residents signed in, in which room, in which month: one bit per day of the month
-- (bit 0 = the 1st), set in the same transaction that keeps the sign-in, by the community's
-- clock (`utc_offset_s` in report_summary_state). Answers "who came in this period" and "who
-- had come before" for a year by reading a row per resident and month, not every sign-in.
CREATE TABLE resident_months (
    site_id      TEXT NOT NULL,
    room_id      TEXT NOT NULL,
    resident_id  TEXT NOT NULL,
    month        TEXT NOT NULL,           -- 2026-12
    days         BIGINT NOT NULL,
    PRIMARY KEY (site_id, month, room_id, resident_id)
);
CREATE INDEX resident_months_by_resident ON resident_months (resident_id, site_id, month, days);

-- Each resident's first sign-in at a site (their first day, by the same clock): who is new in a
-- period is then a range of this index, not a look at each resident's history.
CREATE TABLE resident_firsts (
    site_id      TEXT NOT NULL,
    resident_id  TEXT NOT NULL,
    first_day    TEXT NOT NULL,           -- 2026-12-01
    PRIMARY KEY (site_id, resident_id)
);
CREATE INDEX resident_firsts_by_day ON resident_firsts (site_id, first_day, resident_id);

-- The community's offset the months above were cut by: another offset means making them again.
CREATE TABLE report_summary_state (
    id            BIGINT PRIMARY KEY,     -- always 1
    utc_offset_s  BIGINT NOT NULL
);

-- Figures of days that are over, made the first time a report needs them. A record arriving
-- for such a day (a kiosk that was offline) adds one to `changes`; the day's figures count
-- only while `summarized` equals it, and are made again otherwise.
CREATE TABLE report_days (
    site_id       TEXT NOT NULL,
    day           TEXT NOT NULL,          -- 2026-12-01, the community's date
    changes       BIGINT NOT NULL DEFAULT 0,
    summarized    BIGINT,
    utc_offset_s  BIGINT,
    PRIMARY KEY (site_id, day)
);

-- Per day and room ('' = the whole site, where a resident in two rooms counts once).
CREATE TABLE day_visits (
    site_id    TEXT NOT NULL,
    day        TEXT NOT NULL,
    room_id    TEXT NOT NULL,
    residents  BIGINT NOT NULL,
    visitors   BIGINT NOT NULL,
    sign_ins   BIGINT NOT NULL,
    PRIMARY KEY (site_id, day, room_id)
);

CREATE TABLE day_hours (
    site_id   TEXT NOT NULL,
    day       TEXT NOT NULL,
    room_id   TEXT NOT NULL,
    hour      BIGINT NOT NULL,
    sign_ins  BIGINT NOT NULL,
    PRIMARY KEY (site_id, day, room_id, hour)
);

-- Records each kiosk made per day (by its clock), whatever they were.
CREATE TABLE day_kiosks (
    site_id   TEXT NOT NULL,
    day       TEXT NOT NULL,
    kiosk_id  TEXT NOT NULL,
    records   BIGINT NOT NULL,
    PRIMARY KEY (site_id, day, kiosk_id)
);

-- Each kiosk's records by when they happened: the kiosks report counts a day's records per kiosk.
CREATE INDEX kiosk_records_by_kiosk_time ON kiosk_records (kiosk_id, happened_at);

-- "Who came in the period" reads the months with their days from the index alone.
CREATE INDEX resident_months_in_period ON resident_months (site_id, month, room_id, resident_id, days);

-- Each session's figures, kept once its day is kept (report_days), and made from the session
-- as it stood at `version` (activities.version, which every seat change, staff edit and paper
-- tick moves): a session changed since is counted again.
CREATE TABLE session_figures (
    activity_id          TEXT PRIMARY KEY,
    site_id              TEXT NOT NULL,
    day                  TEXT NOT NULL,
    version              BIGINT NOT NULL,
    confirmed            BIGINT NOT NULL,
    checked_in           BIGINT NOT NULL,
    checked_in_with_seat BIGINT NOT NULL,
    visitors_checked_in  BIGINT NOT NULL
);
CREATE INDEX session_figures_by_day ON session_figures (site_id, day);
