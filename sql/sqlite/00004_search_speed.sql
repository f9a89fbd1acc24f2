-- +goose Up
-- The listing order as an index: a page of the bank reads 20 index entries, not the whole table.
CREATE INDEX questions_listing ON questions (technology, CASE level WHEN 'beginner' THEN 0 WHEN 'intermediate' THEN 1 ELSE 2 END, id);
-- A 64 MiB in-memory FTS5 hash: a 10,000-question import flushes once instead of
-- writing (and then merging) dozens of small segments.
INSERT INTO questions_fts (questions_fts, rank) VALUES ('hashsize', 67108864);

-- +goose Down
DELETE FROM questions_fts_config WHERE k = 'hashsize';
DROP INDEX questions_listing;
