-- New outcome `local_error` (issue 15 §4): attempts that failed inside NetWatch's own host (EMFILE,
-- EADDRNOTAVAIL, …, the descriptor budget). Rollups count them in their own column, like every other
-- failure outcome (src/domain/types.ts OUTCOMES), so ratios can leave them out as "not measured".
-- Existing buckets had none: default 0. `results.outcome` is TEXT.
ALTER TABLE results_1m ADD COLUMN local_error INTEGER NOT NULL DEFAULT 0;
ALTER TABLE results_1h ADD COLUMN local_error INTEGER NOT NULL DEFAULT 0;
-- The dashboard's 24 h ratio now reads attempts - local_error: keep its index covering.
DROP INDEX IF EXISTS results_1h_bucket;
CREATE INDEX results_1h_bucket ON results_1h (bucket, target_id, attempts, successes, local_error);
