-- +goose Up
CREATE TABLE interviews (
    id                BIGSERIAL PRIMARY KEY,
    title             TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'ended')),
    exam_time_limit_s INTEGER NOT NULL DEFAULT 0,
    last_seq          BIGINT NOT NULL DEFAULT 0,
    current_position  INTEGER NOT NULL DEFAULT 0,
    created_by        BIGINT NOT NULL REFERENCES users (id),
    created_at        TIMESTAMPTZ NOT NULL
);

-- Interviewers (a panel) and candidates. A candidate has no account: an
-- invite token, stored as its SHA-256 only, identifies them.
CREATE TABLE participants (
    id           BIGSERIAL PRIMARY KEY,
    interview_id BIGINT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('interviewer', 'candidate')),
    user_id      BIGINT REFERENCES users (id),
    name         TEXT NOT NULL,
    email        TEXT NOT NULL DEFAULT '',
    token_hash   TEXT UNIQUE,
    revoked_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX participants_interview ON participants (interview_id);
CREATE UNIQUE INDEX participants_user ON participants (interview_id, user_id);

-- The planned and pushed questions, with the bank question's text copied in
-- so later bank edits never rewrite an interview's history.
CREATE TABLE interview_questions (
    interview_id BIGINT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    question_id  BIGINT,
    technology   TEXT NOT NULL,
    level        TEXT NOT NULL,
    prompt       TEXT NOT NULL,
    answer       TEXT NOT NULL,
    time_limit_s INTEGER NOT NULL DEFAULT 0,
    pushed_at    TIMESTAMPTZ,
    PRIMARY KEY (interview_id, position)
);

-- Server-authoritative timers. Times are Unix milliseconds. A candidate_id
-- of 0 means the timer applies to the whole room.
CREATE TABLE timers (
    id           BIGSERIAL PRIMARY KEY,
    interview_id BIGINT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    scope        TEXT NOT NULL CHECK (scope IN ('question', 'exam')),
    position     INTEGER NOT NULL DEFAULT 0,
    candidate_id BIGINT NOT NULL DEFAULT 0,
    state        TEXT NOT NULL CHECK (state IN ('running', 'paused', 'expired')),
    duration_ms  BIGINT NOT NULL,
    deadline_ms  BIGINT NOT NULL DEFAULT 0,
    remaining_ms BIGINT NOT NULL DEFAULT 0,
    UNIQUE (interview_id, scope, position, candidate_id)
);
CREATE INDEX timers_due ON timers (state, deadline_ms);

-- The transcript: append-only, one seq per interview. audience is 'all',
-- 'staff', or 'c<participant id>' (that candidate and the staff).
CREATE TABLE events (
    interview_id BIGINT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    seq          BIGINT NOT NULL,
    type         TEXT NOT NULL,
    actor_id     BIGINT NOT NULL DEFAULT 0,
    audience     TEXT NOT NULL,
    data         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (interview_id, seq)
);

-- Draft snapshots, written in batches (at most a second apart) outside the
-- seq counter, for replay in review.
CREATE TABLE drafts (
    id           BIGSERIAL PRIMARY KEY,
    interview_id BIGINT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    candidate_id BIGINT NOT NULL,
    position     INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    text         TEXT NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX drafts_candidate ON drafts (interview_id, candidate_id, position, id);

-- The answer that counts: the last draft or submission received before the deadline.
CREATE TABLE answers (
    interview_id BIGINT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    candidate_id BIGINT NOT NULL,
    position     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 0,
    submitted    INTEGER NOT NULL DEFAULT 0,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (interview_id, candidate_id, position)
);

-- Interviewers' private notes per candidate and question.
CREATE TABLE notes (
    interview_id BIGINT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    author_id    BIGINT NOT NULL,
    candidate_id BIGINT NOT NULL,
    position     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (interview_id, author_id, candidate_id, position)
);

-- +goose Down
DROP TABLE notes;
DROP TABLE answers;
DROP TABLE drafts;
DROP TABLE events;
DROP TABLE timers;
DROP TABLE interview_questions;
DROP TABLE participants;
DROP TABLE interviews;
