-- A site's own staff PIN for its kiosks' staff panels, as the slow digest kiosks check it
-- against (jiayuan_domain::staff_pin, salted with the site's identity key); the PIN itself is
-- never kept. NULL: the server's --staff-pin, as before.
ALTER TABLE sites ADD COLUMN staff_pin_digest TEXT;
