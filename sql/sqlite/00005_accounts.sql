-- +goose Up
-- A disabled account keeps its rows (interviews, notes, events name it) but
-- cannot log in; its sessions and tokens stop working on the next request.
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMP;
-- Sessions that began before this time are over, even once the account is
-- enabled again: a stolen cookie must not outlive the disable.
ALTER TABLE users ADD COLUMN sessions_revoked_at TIMESTAMP;

-- What `ace token list` and the admin page show: a label and when the token
-- was last used (written at most once a minute per token).
ALTER TABLE api_tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN last_used_at TIMESTAMP;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Login attempt counters shared by every instance. k is 'p|<address>|<email>'
-- (one account from one address), 'a|<address>' or 'u|<email>'; each counts
-- attempts in a fixed window from window_start (Unix milliseconds).
CREATE TABLE login_throttle (
    k            TEXT PRIMARY KEY,
    attempts     INTEGER NOT NULL,
    window_start INTEGER NOT NULL
);
CREATE INDEX login_throttle_window ON login_throttle (window_start);

-- Kicks asked for by a process with no hub (the ace command): a serving
-- instance claims each row and closes that user's sockets on every instance.
CREATE TABLE access_kicks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE access_kicks;
DROP TABLE login_throttle;
DROP INDEX api_tokens_user;
ALTER TABLE api_tokens DROP COLUMN last_used_at;
ALTER TABLE api_tokens DROP COLUMN name;
ALTER TABLE users DROP COLUMN sessions_revoked_at;
ALTER TABLE users DROP COLUMN disabled_at;
