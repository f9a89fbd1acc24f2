-- +goose Up
-- Typing history as edits (DESIGN.md, "Review and scoring"). A row of
-- drafts is either a keyframe, whose text is the whole draft, or a delta
-- (keyframe = 0, text ''): replace del code points at off with ins, against
-- the text of the row before it of the same (interview, candidate,
-- position) in id order. Every existing row holds a whole text, so each
-- becomes a keyframe as it stands: exact, and nothing to compute.
ALTER TABLE drafts ADD COLUMN keyframe INTEGER NOT NULL DEFAULT 1;
ALTER TABLE drafts ADD COLUMN off INTEGER NOT NULL DEFAULT 0;
ALTER TABLE drafts ADD COLUMN del INTEGER NOT NULL DEFAULT 0;
ALTER TABLE drafts ADD COLUMN ins TEXT NOT NULL DEFAULT '';

-- The last stored text of each answer's history and how many deltas follow
-- its last keyframe: the base the next draft is diffed against, read (and,
-- on PostgreSQL, locked) once per batch instead of rebuilt from the rows.
-- It is not the answers table's text, which a submission, or an older
-- version arriving late, leaves different from the history's last row.
CREATE TABLE draft_tails (
    interview_id INTEGER NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    candidate_id INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    since_key    INTEGER NOT NULL,
    PRIMARY KEY (interview_id, candidate_id, position)
);
INSERT INTO draft_tails (interview_id, candidate_id, position, text, since_key)
SELECT d.interview_id, d.candidate_id, d.position, d.text, 0 FROM drafts d
WHERE d.id = (SELECT MAX(x.id) FROM drafts x
              WHERE x.interview_id = d.interview_id AND x.candidate_id = d.candidate_id AND x.position = d.position);

-- +goose Down
-- Every delta gets its whole text back, rebuilt along each history in id
-- order (substr counts code points, as the deltas do).
WITH RECURSIVE ordered AS (
    SELECT id, interview_id, candidate_id, position, keyframe, text, off, del, ins,
           ROW_NUMBER() OVER (PARTITION BY interview_id, candidate_id, position ORDER BY id) AS n
    FROM drafts
), chain (id, interview_id, candidate_id, position, n, full_text) AS (
    SELECT id, interview_id, candidate_id, position, n, text FROM ordered WHERE n = 1
    UNION ALL
    SELECT o.id, o.interview_id, o.candidate_id, o.position, o.n,
           CASE WHEN o.keyframe = 1 THEN o.text
                ELSE substr(c.full_text, 1, o.off) || o.ins || substr(c.full_text, o.off + o.del + 1) END
    FROM chain c JOIN ordered o
      ON o.interview_id = c.interview_id AND o.candidate_id = c.candidate_id AND o.position = c.position AND o.n = c.n + 1
)
UPDATE drafts SET text = (SELECT full_text FROM chain WHERE chain.id = drafts.id) WHERE keyframe = 0;
DROP TABLE draft_tails;
ALTER TABLE drafts DROP COLUMN ins;
ALTER TABLE drafts DROP COLUMN del;
ALTER TABLE drafts DROP COLUMN off;
ALTER TABLE drafts DROP COLUMN keyframe;
