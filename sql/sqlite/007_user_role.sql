-- User roles (issue 8, "A read-only role"): `admin` changes anything (every existing user, as before),
-- `viewer` sees targets, history, probe logs and the wire view and changes nothing.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'viewer'));
