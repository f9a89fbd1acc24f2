-- +goose Up
-- Exams (issue 11): pacing, extra time, and where a self-paced candidate is.

-- pushed: the interviewer puts each question on screen; self_paced: every
-- candidate moves through the planned questions against the exam timer.
ALTER TABLE interviews ADD COLUMN pacing TEXT NOT NULL DEFAULT 'pushed' CHECK (pacing IN ('pushed', 'self_paced'));

-- A candidate's accommodation: a percentage and/or a fixed number of
-- seconds added to each of their timers; position is the question a
-- self-paced candidate has open (0 before the first).
ALTER TABLE participants ADD COLUMN extra_time_pct INTEGER NOT NULL DEFAULT 0 CHECK (extra_time_pct BETWEEN 0 AND 400);
ALTER TABLE participants ADD COLUMN extra_time_s INTEGER NOT NULL DEFAULT 0 CHECK (extra_time_s BETWEEN 0 AND 14400);
ALTER TABLE participants ADD COLUMN position INTEGER NOT NULL DEFAULT 0;

-- timers.extra_ms: how much of a personal timer's duration is the
-- candidate's extra time (what the page calls "includes your extra time").
ALTER TABLE timers ADD COLUMN extra_ms BIGINT NOT NULL DEFAULT 0;
-- ended: an interviewer ended this candidate's exam (candidate.end); a
-- room-wide extend does not reopen it.
ALTER TABLE timers ADD COLUMN ended INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE timers DROP COLUMN ended;
ALTER TABLE timers DROP COLUMN extra_ms;
ALTER TABLE participants DROP COLUMN position;
ALTER TABLE participants DROP COLUMN extra_time_s;
ALTER TABLE participants DROP COLUMN extra_time_pct;
ALTER TABLE interviews DROP COLUMN pacing;
