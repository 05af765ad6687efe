-- Hub-to-spoke settings and per-result wire fields (issue 8). Existing targets keep today's
-- behaviour: kernel-chosen source address and port, FIN close, any family, fallback across addresses.
-- Existing results predate the fields: NULL (unknown), never a made-up value.
ALTER TABLE targets ADD COLUMN source_address TEXT NULL;
ALTER TABLE targets ADD COLUMN source_port_min INTEGER NULL;
ALTER TABLE targets ADD COLUMN source_port_max INTEGER NULL;
ALTER TABLE targets ADD COLUMN close_mode TEXT NOT NULL DEFAULT 'fin';
ALTER TABLE targets ADD COLUMN address_family TEXT NOT NULL DEFAULT 'any';
ALTER TABLE targets ADD COLUMN address_policy TEXT NOT NULL DEFAULT 'fallback';
-- scheduled_at: the slot (UTC epoch ms); addresses: JSON array of every address dialled, when more than one.
ALTER TABLE results ADD COLUMN scheduled_at INTEGER NULL;
ALTER TABLE results ADD COLUMN local_address TEXT NULL;
ALTER TABLE results ADD COLUMN close_mode TEXT NULL;
ALTER TABLE results ADD COLUMN addresses TEXT NULL;
