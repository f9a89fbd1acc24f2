-- +goose Up
-- Practice mode (issue 11, part 3): a practice attempt is a self-paced
-- interview of one anonymous candidate with no creator and no panel.
ALTER TABLE interviews ALTER COLUMN created_by DROP NOT NULL;
-- 1: a practice attempt, kept out of every staff list.
ALTER TABLE interviews ADD COLUMN practice INTEGER NOT NULL DEFAULT 0 CHECK (practice IN (0, 1));

-- One row per attempt. holder_hash is the SHA-256 of the ace_practice
-- cookie of the browser that started it (one cookie a browser, for all its
-- attempts); only that holder may open, finish and rate it. share_token is
-- kept as it is: the results page shows the link again, and what it opens
-- (the score and the public prompts) is what its holder chose to publish.
-- last_active_at is the last time the holder opened the attempt; the purge
-- deletes attempts left alone longer than --practice-retention.
CREATE TABLE practice_attempts (
    interview_id   BIGINT PRIMARY KEY REFERENCES interviews (id) ON DELETE CASCADE,
    holder_hash    TEXT NOT NULL,
    technology     TEXT NOT NULL,
    level          TEXT NOT NULL DEFAULT '' CHECK (level IN ('', 'beginner', 'intermediate', 'advanced')),
    question_count INTEGER NOT NULL,
    time_mode      TEXT NOT NULL CHECK (time_mode IN ('suggested', 'exam')),
    share_token    TEXT UNIQUE,
    client_addr    TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    last_active_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX practice_attempts_active ON practice_attempts (last_active_at);

-- A taker's self-rating of one question. interview_id becomes NULL when the
-- attempt is purged: the rating stays, anonymous, as the bank's difficulty
-- signal (how often takers missed a question).
CREATE TABLE practice_ratings (
    id           BIGSERIAL PRIMARY KEY,
    interview_id BIGINT REFERENCES interviews (id) ON DELETE SET NULL,
    position     INTEGER NOT NULL,
    question_id  BIGINT NOT NULL,
    rating       TEXT NOT NULL CHECK (rating IN ('missed', 'partly', 'got')),
    rated_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (interview_id, position)
);
CREATE INDEX practice_ratings_question ON practice_ratings (question_id, rating);

-- New attempts per client address in a fixed window from window_start
-- (Unix milliseconds), shared by every instance.
CREATE TABLE practice_throttle (
    addr         TEXT PRIMARY KEY,
    attempts     INTEGER NOT NULL,
    window_start BIGINT NOT NULL
);

-- +goose Down
DROP TABLE practice_throttle;
DROP TABLE practice_ratings;
DROP TABLE practice_attempts;
DELETE FROM interviews WHERE created_by IS NULL;
ALTER TABLE interviews DROP COLUMN practice;
ALTER TABLE interviews ALTER COLUMN created_by SET NOT NULL;
