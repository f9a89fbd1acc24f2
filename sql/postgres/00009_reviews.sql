-- +goose Up
-- Reviews (issue 9): when an interview ended, the indexes of the reviews
-- list, and each candidate's scorecard summary.

-- ended_at: set when the interview moves to ended (the reviews list filters
-- and sorts by it). Older interviews take the time of their interview.ended
-- event, or failing that their creation.
ALTER TABLE interviews ADD COLUMN ended_at TIMESTAMPTZ;
UPDATE interviews SET ended_at = (SELECT min(e.created_at) FROM events e WHERE e.interview_id = interviews.id AND e.type = 'interview.ended')
WHERE status = 'ended';
UPDATE interviews SET ended_at = created_at WHERE status = 'ended' AND ended_at IS NULL;
CREATE INDEX interviews_status_ended ON interviews (status, ended_at, id);

-- The panels a user sits on, and the interviews asking a technology.
CREATE INDEX participants_user_interview ON participants (user_id, interview_id);
CREATE INDEX interview_questions_technology ON interview_questions (technology, interview_id);

-- One row per candidate with a submitted scorecard: over the newest
-- submitted version of each author, how many authors submitted, the sum and
-- count of their scores and how many recommended each verdict. It is what
-- every submitted scorecard shows (an overseer's view); the reviews list
-- filters and sorts by it only where the blind-panel gate lets the viewer
-- see submitted scorecards, and shows what the gate returns. Refreshed in
-- the transaction of each submission.
CREATE TABLE scorecard_summaries (
    candidate_id      BIGINT PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    interview_id      BIGINT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    submitted         INTEGER NOT NULL,
    score_sum         INTEGER NOT NULL,
    score_n           INTEGER NOT NULL,
    rec_strong_no     INTEGER NOT NULL,
    rec_no            INTEGER NOT NULL,
    rec_yes           INTEGER NOT NULL,
    rec_strong_yes    INTEGER NOT NULL,
    last_submitted_at TIMESTAMPTZ
);
CREATE INDEX scorecard_summaries_interview ON scorecard_summaries (interview_id);
INSERT INTO scorecard_summaries (candidate_id, interview_id, submitted, score_sum, score_n,
    rec_strong_no, rec_no, rec_yes, rec_strong_yes, last_submitted_at)
SELECT sc.candidate_id, sc.interview_id, count(DISTINCT sc.id), coalesce(sum(ss.score), 0), count(ss.score),
    count(DISTINCT CASE WHEN sc.recommendation = 'strong_no' THEN sc.id END),
    count(DISTINCT CASE WHEN sc.recommendation = 'no' THEN sc.id END),
    count(DISTINCT CASE WHEN sc.recommendation = 'yes' THEN sc.id END),
    count(DISTINCT CASE WHEN sc.recommendation = 'strong_yes' THEN sc.id END),
    max(sc.submitted_at)
FROM scorecards sc LEFT JOIN scorecard_scores ss ON ss.scorecard_id = sc.id
WHERE sc.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM scorecards nx WHERE nx.interview_id = sc.interview_id
    AND nx.candidate_id = sc.candidate_id AND nx.author_id = sc.author_id AND nx.status = 'submitted' AND nx.version > sc.version)
GROUP BY sc.interview_id, sc.candidate_id;

-- +goose Down
DROP TABLE scorecard_summaries;
DROP INDEX interview_questions_technology;
DROP INDEX participants_user_interview;
DROP INDEX interviews_status_ended;
ALTER TABLE interviews DROP COLUMN ended_at;
