-- Why a kiosk gave up a record number (`void` records): `unreadable` (damaged on the kiosk) or
-- `not_kept` (asked for again after a restore, and no longer held). Staff see both per kiosk.
ALTER TABLE kiosk_records ADD COLUMN void_reason TEXT;
