-- Text messages were only about notices (待通知), keyed by the notice. A child still in the
-- room after their after-school session is now a message too, to each guardian with a phone.
-- Each message has its own key, still kept once and sent as its idempotency key: a notice's
-- id, or "pick-up/<session>/<child>/<guardian>". A pick-up alert names its session and child,
-- so it is not sent once the child is picked up.
CREATE TABLE outgoing_messages_keyed (
    message_key     TEXT PRIMARY KEY,
    notice_id       TEXT REFERENCES notices(id),
    activity_id     TEXT,
    child_id        TEXT,
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
INSERT INTO outgoing_messages_keyed (message_key, notice_id, site_id, phone, language, words, queued_at, failures,
                                     next_attempt_at, claimed_by, claimed_until, sent_at, last_error)
SELECT notice_id, notice_id, site_id, phone, language, words, queued_at, failures,
       next_attempt_at, claimed_by, claimed_until, sent_at, last_error
FROM outgoing_messages;
DROP TABLE outgoing_messages;
ALTER TABLE outgoing_messages_keyed RENAME TO outgoing_messages;
CREATE INDEX outgoing_messages_due ON outgoing_messages (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX outgoing_messages_by_notice ON outgoing_messages (notice_id);
