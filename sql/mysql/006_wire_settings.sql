-- Hub-to-spoke settings and per-result wire fields (issue 8). Existing targets keep today's
-- behaviour: kernel-chosen source address and port, FIN close, any family, fallback across addresses.
-- Existing results predate the fields: NULL (unknown), never a made-up value.
-- VARCHAR(45): the longest canonical IPv6 text (IPv4-mapped, RFC 5952 §5) is 45 characters.
ALTER TABLE targets
  ADD COLUMN source_address VARCHAR(45) NULL,
  ADD COLUMN source_port_min INT UNSIGNED NULL,
  ADD COLUMN source_port_max INT UNSIGNED NULL,
  ADD COLUMN close_mode VARCHAR(3) NOT NULL DEFAULT 'fin',
  ADD COLUMN address_family VARCHAR(4) NOT NULL DEFAULT 'any',
  ADD COLUMN address_policy VARCHAR(8) NOT NULL DEFAULT 'fallback';
-- scheduled_at: the slot (UTC epoch ms); addresses: JSON array of every address dialled, when more than one.
ALTER TABLE results
  ADD COLUMN scheduled_at BIGINT NULL,
  ADD COLUMN local_address VARCHAR(45) NULL,
  ADD COLUMN close_mode VARCHAR(3) NULL,
  ADD COLUMN addresses TEXT NULL;
