-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'interviewer', 'reviewer')),
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);

-- Fiber session storage: key → encoded session, with an expiry.
CREATE TABLE sessions (
    k          TEXT PRIMARY KEY,
    v          BYTEA NOT NULL,
    expires_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);

-- A setup token lets the first visitor create the first admin; at most one is live.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE questions (
    id           BIGSERIAL PRIMARY KEY,
    technology   TEXT NOT NULL,
    level        TEXT NOT NULL CHECK (level IN ('beginner', 'intermediate', 'advanced')),
    prompt       TEXT NOT NULL,
    prompt_key   TEXT NOT NULL,
    answer       TEXT NOT NULL,
    tags         TEXT NOT NULL DEFAULT '[]',
    time_limit_s INTEGER NOT NULL DEFAULT 0,
    source       TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (technology, prompt_key)
);
CREATE INDEX questions_technology_level ON questions (technology, level);
-- Substring search over prompt and answer: pg_trgm serves ILIKE '%x%'.
CREATE INDEX questions_prompt_trgm ON questions USING gin (prompt gin_trgm_ops);
CREATE INDEX questions_answer_trgm ON questions USING gin (answer gin_trgm_ops);

-- +goose Down
DROP TABLE questions;
DROP TABLE setup_tokens;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
