-- +goose Up
-- Scorecards: one row per version of an interviewer's scorecard for one
-- candidate. The working copy is the one draft row (at most one per author
-- and candidate); submitting locks it, and an amendment is a new version
-- (a draft copied from the last submitted one), so every submitted version
-- is kept. candidate_id and author_id are participant ids; deleting a
-- participant who has scorecards is refused (the record of a decision
-- stays), deleting the interview removes them all.
CREATE TABLE scorecards (
    id             BIGSERIAL PRIMARY KEY,
    interview_id   BIGINT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    candidate_id   BIGINT NOT NULL REFERENCES participants (id),
    author_id      BIGINT NOT NULL REFERENCES participants (id),
    version        INTEGER NOT NULL CHECK (version >= 1),
    status         TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    recommendation TEXT NOT NULL DEFAULT '' CHECK (recommendation IN ('', 'strong_no', 'no', 'yes', 'strong_yes')),
    summary        TEXT NOT NULL DEFAULT '',
    -- 1 when the author had seen other interviewers' scorecards for this
    -- candidate before this version was submitted.
    seen_panel     INTEGER NOT NULL DEFAULT 0 CHECK (seen_panel IN (0, 1)),
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    submitted_at   TIMESTAMPTZ,
    UNIQUE (interview_id, candidate_id, author_id, version),
    CHECK ((status = 'submitted') = (submitted_at IS NOT NULL))
);
CREATE UNIQUE INDEX scorecards_one_draft ON scorecards (interview_id, candidate_id, author_id) WHERE status = 'draft';

-- A rubric score (NULL: not assessed) and a comment per pushed question.
CREATE TABLE scorecard_scores (
    scorecard_id BIGINT NOT NULL REFERENCES scorecards (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL CHECK (position >= 1),
    score        INTEGER CHECK (score BETWEEN 1 AND 4),
    comment      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (scorecard_id, position)
);

-- When a staff user was first shown other interviewers' submitted
-- scorecards for a candidate: a later amendment of theirs is then marked
-- "changed after seeing the panel".
CREATE TABLE scorecard_panel_seen (
    interview_id BIGINT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    candidate_id BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    seen_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (interview_id, candidate_id, user_id)
);

-- +goose Down
DROP TABLE scorecard_panel_seen;
DROP TABLE scorecard_scores;
DROP TABLE scorecards;
