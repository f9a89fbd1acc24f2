-- +goose Up
-- Practice mode (issue 11, part 3): a practice attempt is a self-paced
-- interview of one anonymous candidate with no creator and no panel.
--
-- interviews.created_by becomes nullable. SQLite cannot drop a NOT NULL
-- constraint with ALTER TABLE. Its documentation offers two ways
-- (https://sqlite.org/lang_altertable.html#otheralter): rebuild the table
-- (12 steps), or, for a change that leaves every stored row valid as it is
-- (removing a NOT NULL, CHECK or FOREIGN KEY constraint), edit the table's
-- CREATE statement in sqlite_schema. The edit is used here because it
-- touches nothing else: a rebuild would have to list interviews' columns,
-- and migrations are applied out of order (store.migrate), so a column
-- that another branch's migration adds before this one runs would be
-- dropped by it, and 00010's pacing would be required before it exists.
-- The edit changes only the created_by line of the original statement;
-- the CHECK after it fails the migration if that line is not found. The
-- CREATE TABLE statements after it change the schema cookie, so every
-- connection reloads the schema; writable_schema = RESET reloads this
-- one's at once. ADD COLUMN comes first: it splices the new column into
-- the statement at an offset taken from the schema as last loaded.
-- 1: a practice attempt, kept out of every staff list.
ALTER TABLE interviews ADD COLUMN practice INTEGER NOT NULL DEFAULT 0 CHECK (practice IN (0, 1));
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'created_by        INTEGER NOT NULL REFERENCES users (id)', 'created_by        INTEGER REFERENCES users (id)')
WHERE type = 'table' AND name = 'interviews';
PRAGMA writable_schema = RESET;
CREATE TEMP TABLE m00011_check (edited INTEGER NOT NULL CHECK (edited = 1));
INSERT INTO m00011_check SELECT count(*) FROM sqlite_schema
WHERE type = 'table' AND name = 'interviews' AND sql LIKE '%created_by        INTEGER REFERENCES users (id)%';
DROP TABLE m00011_check;

-- One row per attempt. holder_hash is the SHA-256 of the ace_practice
-- cookie of the browser that started it (one cookie a browser, for all its
-- attempts); only that holder may open, finish and rate it. share_token is
-- kept as it is: the results page shows the link again, and what it opens
-- (the score and the public prompts) is what its holder chose to publish.
-- last_active_at is the last time the holder opened the attempt; the purge
-- deletes attempts left alone longer than --practice-retention.
CREATE TABLE practice_attempts (
    interview_id   INTEGER PRIMARY KEY REFERENCES interviews (id) ON DELETE CASCADE,
    holder_hash    TEXT NOT NULL,
    technology     TEXT NOT NULL,
    level          TEXT NOT NULL DEFAULT '' CHECK (level IN ('', 'beginner', 'intermediate', 'advanced')),
    question_count INTEGER NOT NULL,
    time_mode      TEXT NOT NULL CHECK (time_mode IN ('suggested', 'exam')),
    share_token    TEXT UNIQUE,
    client_addr    TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    last_active_at TIMESTAMP NOT NULL
);
CREATE INDEX practice_attempts_active ON practice_attempts (last_active_at);

-- A taker's self-rating of one question. interview_id becomes NULL when the
-- attempt is purged: the rating stays, anonymous, as the bank's difficulty
-- signal (how often takers missed a question).
CREATE TABLE practice_ratings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id INTEGER REFERENCES interviews (id) ON DELETE SET NULL,
    position     INTEGER NOT NULL,
    question_id  INTEGER NOT NULL,
    rating       TEXT NOT NULL CHECK (rating IN ('missed', 'partly', 'got')),
    rated_at     TIMESTAMP NOT NULL,
    UNIQUE (interview_id, position)
);
CREATE INDEX practice_ratings_question ON practice_ratings (question_id, rating);

-- New attempts per client address in a fixed window from window_start
-- (Unix milliseconds), shared by every instance.
CREATE TABLE practice_throttle (
    addr         TEXT PRIMARY KEY,
    attempts     INTEGER NOT NULL,
    window_start INTEGER NOT NULL
);

-- +goose Down
DROP TABLE practice_throttle;
DROP TABLE practice_ratings;
DROP TABLE practice_attempts;
DELETE FROM interviews WHERE created_by IS NULL;
ALTER TABLE interviews DROP COLUMN practice;
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'created_by        INTEGER REFERENCES users (id)', 'created_by        INTEGER NOT NULL REFERENCES users (id)')
WHERE type = 'table' AND name = 'interviews';
PRAGMA writable_schema = RESET;
