-- +goose Up
-- Public questions are in the public bank, its API and practice; private ones are staff-only.
-- Every existing question stays public.
ALTER TABLE questions ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'private'));
-- The anonymous listing and its counts read only public questions: partial indexes that hold
-- them alone, in the listing order and by technology and level, keep a page and its count
-- index-only reads. Queries name visibility = 'public' as a literal so the planner can use them.
CREATE INDEX questions_public_listing ON questions (technology, (CASE level WHEN 'beginner' THEN 0 WHEN 'intermediate' THEN 1 ELSE 2 END), id) WHERE visibility = 'public';
CREATE INDEX questions_public_technology_level ON questions (technology, level) WHERE visibility = 'public';

-- +goose Down
DROP INDEX questions_public_technology_level;
DROP INDEX questions_public_listing;
ALTER TABLE questions DROP COLUMN visibility;
