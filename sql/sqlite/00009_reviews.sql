-- +goose Up
-- Reviews (issue 9): when an interview ended, and the reviews list's own
-- table with its indexes.

-- ended_at: set when the interview moves to ended (the reviews list filters
-- and sorts by it). Older interviews take the time of their interview.ended
-- event, or failing that their creation.
ALTER TABLE interviews ADD COLUMN ended_at TIMESTAMP;
UPDATE interviews SET ended_at = (SELECT min(e.created_at) FROM events e WHERE e.interview_id = interviews.id AND e.type = 'interview.ended')
WHERE status = 'ended';
UPDATE interviews SET ended_at = created_at WHERE status = 'ended' AND ended_at IS NULL;

-- The panels a user sits on, and the interviews asking a technology.
CREATE INDEX participants_user_interview ON participants (user_id, interview_id);
CREATE INDEX interview_questions_technology ON interview_questions (technology, interview_id);

-- review_entries: one row per candidate of an ended interview, so the
-- reviews list filters, sorts, counts and pages one table (a join of
-- candidates, interviews and scorecards per request is an order of
-- magnitude slower). It copies what the list filters and sorts by and, over
-- the newest submitted version of each author's scorecard, how many authors
-- submitted, the sum, count and mean of their scores and how many
-- recommended each verdict: what every submitted scorecard shows (an
-- overseer's view). The list filters and sorts by those only where the
-- blind-panel gate lets the viewer see submitted scorecards, and shows what
-- the gate returns. blind_users lists, as ",12,40,", the users on the
-- panel who have not submitted a scorecard for the candidate: the gate
-- hides the others' scorecards from exactly them, and the candidate is
-- awaiting scorecards while it is not empty. The store rewrites an interview's rows in the transaction
-- that ends it, submits a scorecard, or changes its panel or candidates.
-- search, title_key and name_key are lower() of the text (ASCII letters
-- only on SQLite).
CREATE TABLE review_entries (
    candidate_id    INTEGER PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    interview_id    INTEGER NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    ended_at        TIMESTAMP NOT NULL,
    title           TEXT NOT NULL,
    candidate_name  TEXT NOT NULL,
    candidate_email TEXT NOT NULL,
    search          TEXT NOT NULL,
    title_key       TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    submitted       INTEGER NOT NULL,
    score_sum       INTEGER NOT NULL,
    score_n         INTEGER NOT NULL,
    mean            REAL,
    rec_strong_no   INTEGER NOT NULL,
    rec_no          INTEGER NOT NULL,
    rec_yes         INTEGER NOT NULL,
    rec_strong_yes  INTEGER NOT NULL,
    blind_users     TEXT NOT NULL
);
CREATE INDEX review_entries_ended ON review_entries (ended_at, interview_id, candidate_id);
CREATE INDEX review_entries_interview ON review_entries (interview_id);
-- One index per sort, each in its natural order (a page is a walk of the
-- index, not a sort of every row): SQLite walks them backwards for DESC.
CREATE INDEX review_entries_title ON review_entries (title_key, interview_id, candidate_id);
CREATE INDEX review_entries_name ON review_entries (name_key, candidate_id);
CREATE INDEX review_entries_submitted ON review_entries (submitted, ended_at, interview_id, candidate_id);
CREATE INDEX review_entries_mean ON review_entries (mean, ended_at, interview_id, candidate_id);
-- Search: words of three or more characters through an FTS5 trigram index
-- (substrings, like the question bank's), shorter ones by LIKE.
CREATE VIRTUAL TABLE review_entries_fts USING fts5 (
    search, content = 'review_entries', content_rowid = 'candidate_id', tokenize = 'trigram'
);
-- +goose StatementBegin
CREATE TRIGGER review_entries_ai AFTER INSERT ON review_entries BEGIN
    INSERT INTO review_entries_fts (rowid, search) VALUES (new.candidate_id, new.search);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER review_entries_ad AFTER DELETE ON review_entries BEGIN
    INSERT INTO review_entries_fts (review_entries_fts, rowid, search) VALUES ('delete', old.candidate_id, old.search);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER review_entries_au AFTER UPDATE ON review_entries BEGIN
    INSERT INTO review_entries_fts (review_entries_fts, rowid, search) VALUES ('delete', old.candidate_id, old.search);
    INSERT INTO review_entries_fts (rowid, search) VALUES (new.candidate_id, new.search);
END;
-- +goose StatementEnd

INSERT INTO review_entries (candidate_id, interview_id, ended_at, title, candidate_name, candidate_email, search, title_key, name_key,
    submitted, score_sum, score_n, mean, rec_strong_no, rec_no, rec_yes, rec_strong_yes, blind_users)
SELECT c.id, i.id, i.ended_at, i.title, c.name, c.email, lower(c.name || ' ' || c.email || ' ' || i.title), lower(i.title), lower(c.name),
    coalesce(sm.submitted, 0), coalesce(sm.score_sum, 0), coalesce(sm.score_n, 0),
    CASE WHEN sm.score_n > 0 THEN sm.score_sum * 1.0 / sm.score_n END,
    coalesce(sm.rec_strong_no, 0), coalesce(sm.rec_no, 0), coalesce(sm.rec_yes, 0), coalesce(sm.rec_strong_yes, 0),
    coalesce((SELECT ',' || group_concat(ap.user_id, ',') || ',' FROM participants ap WHERE ap.interview_id = i.id AND ap.role = 'interviewer'
        AND ap.revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.interview_id = i.id AND s.candidate_id = c.id
        AND s.author_id = ap.id AND s.status = 'submitted')), '')
FROM participants c
JOIN interviews i ON i.id = c.interview_id
LEFT JOIN (SELECT sc.candidate_id, count(DISTINCT sc.id) AS submitted, coalesce(sum(ss.score), 0) AS score_sum, count(ss.score) AS score_n,
        count(DISTINCT CASE WHEN sc.recommendation = 'strong_no' THEN sc.id END) AS rec_strong_no,
        count(DISTINCT CASE WHEN sc.recommendation = 'no' THEN sc.id END) AS rec_no,
        count(DISTINCT CASE WHEN sc.recommendation = 'yes' THEN sc.id END) AS rec_yes,
        count(DISTINCT CASE WHEN sc.recommendation = 'strong_yes' THEN sc.id END) AS rec_strong_yes
    FROM scorecards sc LEFT JOIN scorecard_scores ss ON ss.scorecard_id = sc.id
    WHERE sc.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM scorecards nx WHERE nx.interview_id = sc.interview_id
        AND nx.candidate_id = sc.candidate_id AND nx.author_id = sc.author_id AND nx.status = 'submitted' AND nx.version > sc.version)
    GROUP BY sc.candidate_id) sm ON sm.candidate_id = c.id
WHERE i.status = 'ended' AND c.role = 'candidate';

-- +goose Down
DROP TABLE review_entries_fts;
DROP TABLE review_entries;
DROP INDEX interview_questions_technology;
DROP INDEX participants_user_interview;
ALTER TABLE interviews DROP COLUMN ended_at;
