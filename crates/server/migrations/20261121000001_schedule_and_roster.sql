-- Portable SQL: the same migration runs on SQLite and PostgreSQL.
-- Ids are text made by the server or by staff's files; times are the community's civil times.

-- A site is one living base or residential area with its own rooms and residents; a kiosk
-- belongs to a room, and so to a site.
CREATE TABLE sites (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL
);

CREATE TABLE rooms (
    id            TEXT PRIMARY KEY,
    site_id       TEXT NOT NULL REFERENCES sites (id),
    name_zh_hans  TEXT NOT NULL,
    name_zh_hant  TEXT,
    name_en       TEXT
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
    seats_taken         BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX activities_by_day ON activities (day, starts);

CREATE TABLE residents (
    id            TEXT PRIMARY KEY,
    site_id       TEXT NOT NULL REFERENCES sites (id),
    full_name     TEXT NOT NULL,       -- for staff only; kiosks get display_name
    display_name  TEXT NOT NULL,       -- masked: 张*华
    card_number   TEXT UNIQUE,         -- 便民卡
    phone_last4   TEXT,
    household     TEXT                 -- building-unit-room: 3-2-501
);
