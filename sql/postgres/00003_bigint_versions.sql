-- +goose Up
-- A draft's or submission's version is the client's counter or, by default
-- (docs/protocol.md), the server time in milliseconds: about 1.7e12, past
-- INTEGER's 2^31. On PostgreSQL the 32-bit columns refused every answer sent
-- without a version, and one such draft failed its whole batch. BIGINT, as
-- SQLite's INTEGER already is.
ALTER TABLE drafts ALTER COLUMN version TYPE BIGINT;
ALTER TABLE answers ALTER COLUMN version TYPE BIGINT;

-- +goose Down
ALTER TABLE answers ALTER COLUMN version TYPE INTEGER;
ALTER TABLE drafts ALTER COLUMN version TYPE INTEGER;
