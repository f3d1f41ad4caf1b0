-- The staff console: staff accounts and the sites they work for, signed-in browsers, and the
-- action log; what staff change on sessions and residents; how kiosks say they are doing.

CREATE TABLE staff (
    id                    TEXT PRIMARY KEY,      -- the sign-in name: wang.li
    display_name          TEXT NOT NULL,
    role                  TEXT NOT NULL,         -- administrator | staff | viewer
    password_hash         TEXT NOT NULL,         -- Argon2id, as a PHC string
    -- A one-time password (from `add-staff` or an administrator) must be changed first.
    must_change_password  BIGINT NOT NULL DEFAULT 1,
    created_at            BIGINT NOT NULL,
    removed_at            BIGINT
);

CREATE TABLE staff_sites (
    staff_id  TEXT NOT NULL REFERENCES staff (id),
    site_id   TEXT NOT NULL REFERENCES sites (id),
    PRIMARY KEY (staff_id, site_id)
);

-- Signed-in browsers. The cookie carries a random token; only its digest is kept, so a copy
-- of the database signs nobody in.
CREATE TABLE staff_sessions (
    token_digest  TEXT PRIMARY KEY,
    staff_id      TEXT NOT NULL REFERENCES staff (id),
    site_id       TEXT NOT NULL REFERENCES sites (id),   -- the site being worked on
    -- Every form carries it back: a page from another site cannot post on staff's behalf.
    form_token    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT NOT NULL
);

CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);

-- Who did what, when, to what, and why. Rows are only ever added: triggers made when the
-- database opens (written differently for SQLite and PostgreSQL) refuse changes and removals.
CREATE TABLE action_log (
    id       TEXT PRIMARY KEY,
    at       BIGINT NOT NULL,
    site_id  TEXT,                 -- NULL: the whole server (staff accounts)
    actor    TEXT NOT NULL,        -- a staff id, or "command line"
    action   TEXT NOT NULL,        -- session.cancel, kiosk.revoke, …
    subject  TEXT NOT NULL,        -- the session, resident, kiosk or account it was done to
    reason   TEXT,
    detail   TEXT
);

CREATE INDEX action_log_by_site ON action_log (site_id, at);

-- A session staff cancelled (a holiday, a teacher ill): kept with its sign-ups, closed to new
-- ones, shown as cancelled on kiosks; staff may restore it.
ALTER TABLE activities ADD COLUMN cancelled_at BIGINT;
-- Counts staff's edits (not seat changes), so two staff editing one activity are told.
ALTER TABLE activities ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE recurring_activities ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- A resident who moved away: kept with their history; kiosks forget them at the next sync.
ALTER TABLE residents ADD COLUMN deactivated_at BIGINT;
ALTER TABLE residents ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

ALTER TABLE kiosks ADD COLUMN revoke_reason TEXT;
-- What a kiosk last reported with its sync (`POST /api/sync/report`).
ALTER TABLE kiosks ADD COLUMN reported_at BIGINT;
ALTER TABLE kiosks ADD COLUMN queued BIGINT;
ALTER TABLE kiosks ADD COLUMN storage_used BIGINT;
ALTER TABLE kiosks ADD COLUMN storage_quota BIGINT;
ALTER TABLE kiosks ADD COLUMN clock_difference_ms BIGINT;   -- kiosk minus server
ALTER TABLE kiosks ADD COLUMN app_version TEXT;
ALTER TABLE kiosks ADD COLUMN last_error TEXT;

-- Files staff upload wait here between the preview and "apply", so any server process can
-- apply them.
CREATE TABLE console_uploads (
    id          TEXT PRIMARY KEY,
    staff_id    TEXT NOT NULL REFERENCES staff (id),
    site_id     TEXT NOT NULL REFERENCES sites (id),
    kind        TEXT NOT NULL,     -- residents | activities | recurring
    file_name   TEXT NOT NULL,
    csv         TEXT NOT NULL,     -- an XLSX file is kept as the CSV it was read as
    created_at  BIGINT NOT NULL
);
