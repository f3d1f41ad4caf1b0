-- Kiosks, the records they send, and the sign-ups the server decides.
-- Times are server clock ms since 1970 unless named happened_at (the kiosk's clock).

CREATE TABLE kiosks (
    id               TEXT PRIMARY KEY,
    room_id          TEXT NOT NULL REFERENCES rooms (id),
    secret_sha256    TEXT NOT NULL,       -- the secret itself is only ever on the kiosk
    paired_at        BIGINT NOT NULL,
    revoked_at       BIGINT,
    applied_through  BIGINT NOT NULL DEFAULT 0,   -- last record number applied, in order
    last_seen_at     BIGINT
);

CREATE TABLE pairing_codes (
    code_sha256  TEXT PRIMARY KEY,
    room_id      TEXT NOT NULL REFERENCES rooms (id),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    kiosk_id     TEXT                     -- set when used: a code pairs one kiosk, once
);

-- Every record applied, with the answer given, so a resend gets the same answer.
CREATE TABLE kiosk_records (
    kiosk_id     TEXT NOT NULL REFERENCES kiosks (id),
    seq          BIGINT NOT NULL,
    record_id    TEXT NOT NULL,
    action       TEXT NOT NULL,           -- sign_in | check_in | sign_up | cancel
    resident_id  TEXT,                    -- NULL for a visitor
    activity_id  TEXT,
    companions   BIGINT NOT NULL DEFAULT 0,
    happened_at  BIGINT NOT NULL,
    applied_at   BIGINT NOT NULL,
    outcome      TEXT NOT NULL,           -- JSON, as sent back to the kiosk
    PRIMARY KEY (kiosk_id, seq)
);

CREATE INDEX kiosk_records_by_activity ON kiosk_records (activity_id, action);

-- One row per resident and activity: a second sign-up from another kiosk is the same one.
CREATE TABLE sign_ups (
    activity_id  TEXT NOT NULL REFERENCES activities (id),
    resident_id  TEXT NOT NULL REFERENCES residents (id),
    companions   BIGINT NOT NULL,
    status       TEXT NOT NULL,           -- confirmed | waiting | cancelled
    queue_order  BIGINT NOT NULL,         -- arrival order at the server: the waiting list's order
    record_id    TEXT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (activity_id, resident_id)
);

CREATE INDEX sign_ups_waiting ON sign_ups (activity_id, status, queue_order);
