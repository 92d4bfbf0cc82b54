-- How many answers a link refused because it or one client sent too many at once.
ALTER TABLE scan_links ADD COLUMN refused BIGINT NOT NULL DEFAULT 0;
