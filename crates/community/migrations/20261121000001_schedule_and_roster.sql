-- Portable SQL: the same migration runs on SQLite and PostgreSQL.
-- Ids are text made by the server or by staff's files; times are the community's civil times.
--
-- Kiosks catch up by pulling what changed since a cursor: every change to a site's data takes
-- the next number of sites.version and stamps it on the rows it changed (column `version`).

-- A site is one living base or residential area with its own rooms and residents; a kiosk
-- belongs to a room, and so to a site.
CREATE TABLE sites (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 0,
    -- Deletions up to this version are forgotten; a kiosk with an older cursor starts afresh.
    pruned_through BIGINT NOT NULL DEFAULT 0,
    -- Key for the HMACs of card and phone digits sent to kiosks, so kiosks never hold them
    -- in clear (hex, 256 bits).
    identity_key  TEXT NOT NULL
);

CREATE TABLE rooms (
    id            TEXT PRIMARY KEY,
    site_id       TEXT NOT NULL REFERENCES sites (id),
    name_zh_hans  TEXT NOT NULL,
    name_zh_hant  TEXT,
    name_en       TEXT,
    version       BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE activities (
    id                  TEXT PRIMARY KEY,
    room_id             TEXT NOT NULL REFERENCES rooms (id),
    title_zh_hans       TEXT NOT NULL,
    title_zh_hant       TEXT,
    title_en            TEXT,
    host_zh_hans        TEXT NOT NULL,
    host_zh_hant        TEXT,
    host_en             TEXT,
    day                 TEXT NOT NULL,   -- 2026-11-23
    starts              TEXT NOT NULL,   -- 08:30
    ends                TEXT NOT NULL,
    capacity            BIGINT,          -- NULL: open to all, no sign-up
    companions_allowed  BIGINT NOT NULL DEFAULT 0,
    -- Seats held by confirmed sign-ups (residents and their companions); only ever changed
    -- by a conditional update that keeps it at or under capacity.
    seats_taken         BIGINT NOT NULL DEFAULT 0,
    -- Bumped by every change to the activity, its seats or its waiting list.
    version             BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX activities_by_day ON activities (day, starts);
CREATE INDEX activities_by_version ON activities (version);

CREATE TABLE residents (
    id            TEXT PRIMARY KEY,
    site_id       TEXT NOT NULL REFERENCES sites (id),
    full_name     TEXT NOT NULL,       -- for staff only; kiosks get display_name
    display_name  TEXT NOT NULL,       -- masked: 张*华
    card_number   TEXT UNIQUE,         -- 便民卡
    phone_last4   TEXT,
    household     TEXT,                -- building-unit-room: 3-2-501
    version       BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX residents_by_version ON residents (site_id, version);

-- What was removed, so kiosks that pull changes remove it too.
CREATE TABLE deletions (
    site_id    TEXT NOT NULL REFERENCES sites (id),
    entity     TEXT NOT NULL,          -- activity | resident | room
    entity_id  TEXT NOT NULL,
    version    BIGINT NOT NULL,
    PRIMARY KEY (site_id, entity, entity_id)
);
