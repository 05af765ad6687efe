-- Usernames are compared by NetWatch itself (Unicode NFC + lower case, src/store/users.ts), the same
-- on both stores; the column's accent- and width-insensitive collation made MariaDB refuse names
-- (émile after emile, strasse after straße) that SQLite accepts. Binary collation keeps the unique
-- key to exact duplicates; case variants are refused by the application check.
ALTER TABLE users MODIFY username VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
