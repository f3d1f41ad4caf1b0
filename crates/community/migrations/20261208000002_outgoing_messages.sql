-- Text messages about notices (待通知), for deployments with a message gateway
-- (--message-webhook). One row per notice, so two servers never queue it twice; a server
-- claims a row for a short lease before sending, so two servers never send it at once; each
-- send carries the notice's id as its idempotency key, so a send repeated after a crash is
-- recognised by the relay.
CREATE TABLE outgoing_messages (
    notice_id       TEXT PRIMARY KEY REFERENCES notices(id),
    site_id         TEXT NOT NULL REFERENCES sites(id),
    phone           TEXT NOT NULL,
    language        TEXT NOT NULL,
    words           TEXT NOT NULL,
    queued_at       BIGINT NOT NULL,
    failures        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by      TEXT,
    claimed_until   BIGINT,
    sent_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX outgoing_messages_due ON outgoing_messages (next_attempt_at) WHERE sent_at IS NULL;
