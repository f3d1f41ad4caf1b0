-- Pairing codes are kept as an HMAC under the server's secret key (not a plain SHA-256 of
-- eight digits), live 30 minutes by default, and can be withdrawn all at once when wrong codes
-- pour in. Codes made before are of no use any more: unused ones go.
DELETE FROM pairing_codes WHERE kiosk_id IS NULL;
ALTER TABLE pairing_codes RENAME COLUMN code_sha256 TO code_digest;
ALTER TABLE pairing_codes ADD COLUMN withdrawn_at BIGINT;
