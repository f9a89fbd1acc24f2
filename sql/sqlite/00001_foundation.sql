-- +goose Up
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'interviewer', 'reviewer')),
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);

-- Fiber session storage: key → encoded session, with an expiry.
CREATE TABLE sessions (
    k          TEXT PRIMARY KEY,
    v          BLOB NOT NULL,
    expires_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP
);

-- A setup token lets the first visitor create the first admin; at most one is live.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE questions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    technology   TEXT NOT NULL,
    level        TEXT NOT NULL CHECK (level IN ('beginner', 'intermediate', 'advanced')),
    prompt       TEXT NOT NULL,
    prompt_key   TEXT NOT NULL,
    answer       TEXT NOT NULL,
    tags         TEXT NOT NULL DEFAULT '[]',
    time_limit_s INTEGER NOT NULL DEFAULT 0,
    source       TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (technology, prompt_key)
);
CREATE INDEX questions_technology_level ON questions (technology, level);

-- Substring search over prompt and answer: the trigram tokenizer serves LIKE '%x%'.
CREATE VIRTUAL TABLE questions_fts USING fts5 (
    prompt, answer, content = 'questions', content_rowid = 'id', tokenize = 'trigram'
);
-- +goose StatementBegin
CREATE TRIGGER questions_ai AFTER INSERT ON questions BEGIN
    INSERT INTO questions_fts (rowid, prompt, answer) VALUES (new.id, new.prompt, new.answer);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER questions_ad AFTER DELETE ON questions BEGIN
    INSERT INTO questions_fts (questions_fts, rowid, prompt, answer) VALUES ('delete', old.id, old.prompt, old.answer);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER questions_au AFTER UPDATE ON questions BEGIN
    INSERT INTO questions_fts (questions_fts, rowid, prompt, answer) VALUES ('delete', old.id, old.prompt, old.answer);
    INSERT INTO questions_fts (rowid, prompt, answer) VALUES (new.id, new.prompt, new.answer);
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE questions_fts;
DROP TABLE questions;
DROP TABLE setup_tokens;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
