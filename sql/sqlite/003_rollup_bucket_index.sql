-- The dashboard's 24 h ratio reads the last 25 hourly buckets of every target: index them by
-- bucket (covering the counts) so that read does not scan every stored hour (issue "Performance at scale").
CREATE INDEX IF NOT EXISTS results_1h_bucket ON results_1h (bucket, target_id, attempts, successes);
