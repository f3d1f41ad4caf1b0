-- Activities that repeat every week. Each repetition is made into an ordinary dated row of
-- `activities` (a session, with its own seats and waiting list) for the coming weeks, so
-- kiosks and seat decisions only ever deal with sessions.

CREATE TABLE recurring_activities (
    id                  TEXT PRIMARY KEY,
    room_id             TEXT NOT NULL REFERENCES rooms (id),
    title_zh_hans       TEXT NOT NULL,
    title_zh_hant       TEXT,
    title_en            TEXT,
    host_zh_hans        TEXT NOT NULL,
    host_zh_hant        TEXT,
    host_en             TEXT,
    weekdays            TEXT NOT NULL,   -- mon,wed,fri
    starts              TEXT NOT NULL,   -- 08:30
    ends                TEXT NOT NULL,
    capacity            BIGINT,          -- NULL: open to all, no sign-up
    companions_allowed  BIGINT NOT NULL DEFAULT 0,
    first_day           TEXT NOT NULL,   -- 2026-11-23
    last_day            TEXT,            -- NULL: until staff end it
    -- Sessions have been made up to this day; the daily horizon moves it forward.
    sessions_through    TEXT NOT NULL
);

-- The recurring activity a session was made from; NULL for activities staff dated themselves.
ALTER TABLE activities ADD COLUMN recurring_id TEXT REFERENCES recurring_activities (id);
CREATE INDEX activities_by_recurring ON activities (recurring_id, day);

-- Kiosks hold the coming weeks. Activities dated further ahead are stamped with a new version
-- on the day they come within reach, so kiosks whose cursor is past their import still get
-- them; this is the last day stamped so far.
ALTER TABLE sites ADD COLUMN horizon_through TEXT;
