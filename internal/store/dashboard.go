package store

import (
	"context"
	"fmt"
)

// DashboardInterview is an interview on the staff home, with its candidate
// count and, for a panel member, how many candidates they have yet to
// submit a scorecard for.
type DashboardInterview struct {
	Interview
	Candidates int  `db:"candidates"`
	Unscored   int  `db:"unscored"`
	OnPanel    bool `db:"on_panel"`
}

const dashboardCols = `i.id, i.title, i.status, i.exam_time_limit_s, i.last_seq, i.current_position, COALESCE(i.created_by, 0) AS created_by, i.created_at, i.ended_at,
	(SELECT count(*) FROM participants c WHERE c.interview_id = i.id AND c.role = 'candidate') AS candidates,
	CASE WHEN vp.id IS NULL THEN 0 ELSE (SELECT count(*) FROM participants c WHERE c.interview_id = i.id AND c.role = 'candidate'
		AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.interview_id = i.id AND s.candidate_id = c.id
		AND s.author_id = vp.id AND s.status = 'submitted')) END AS unscored,
	CASE WHEN vp.id IS NULL THEN 0 ELSE 1 END AS on_panel`

const dashboardFrom = ` FROM interviews i LEFT JOIN participants vp ON vp.interview_id = i.id AND vp.user_id = ?
	AND vp.role = 'interviewer' AND vp.revoked_at IS NULL`

// InterviewsByStatus returns up to limit interviews of one status that sc
// may see (interviewers: those they sit on): live ones newest first,
// scheduled ones oldest first (the next to run), ended ones by when they
// ended, newest first.
func (s *Store) InterviewsByStatus(ctx context.Context, sc ReviewScope, status string, limit int) ([]DashboardInterview, error) {
	where := ` WHERE i.status = ? AND i.practice = 0`
	if sc.Role == RoleInterviewer {
		where += ` AND vp.id IS NOT NULL`
	}
	order := ` ORDER BY i.id DESC`
	switch status {
	case StatusScheduled:
		order = ` ORDER BY i.created_at, i.id`
	case StatusEnded:
		order = ` ORDER BY i.ended_at DESC, i.id DESC`
	}
	out := []DashboardInterview{}
	if err := s.r.SelectContext(ctx, &out, s.q(`SELECT `+dashboardCols+dashboardFrom+where+order+` LIMIT ?`), sc.UserID, status, limit); err != nil {
		return nil, fmt.Errorf("store: %s interviews: %w", status, err)
	}
	return out, nil
}

// AwaitingScorecard returns up to limit ended interviews whose panel the
// user sits on and which have a candidate the user has not submitted a
// scorecard for, the longest waiting first.
func (s *Store) AwaitingScorecard(ctx context.Context, userID int64, limit int) ([]DashboardInterview, error) {
	out := []DashboardInterview{}
	err := s.r.SelectContext(ctx, &out, s.q(`SELECT `+dashboardCols+dashboardFrom+` WHERE i.status = 'ended' AND i.practice = 0 AND vp.id IS NOT NULL
		AND EXISTS (SELECT 1 FROM participants c WHERE c.interview_id = i.id AND c.role = 'candidate'
		AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.interview_id = i.id AND s.candidate_id = c.id
		AND s.author_id = vp.id AND s.status = 'submitted'))
		ORDER BY i.ended_at, i.id LIMIT ?`), userID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: interviews awaiting a scorecard: %w", err)
	}
	return out, nil
}
