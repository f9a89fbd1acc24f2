-- +goose Up
-- Kept in step with postgres/00003, which widens drafts.version and
-- answers.version to BIGINT. SQLite's INTEGER already holds 64 bits, so
-- there is nothing to change here.
SELECT 1;

-- +goose Down
SELECT 1;
