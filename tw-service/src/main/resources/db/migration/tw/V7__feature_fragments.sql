-- What a feature renders per template set, each fragment naming its output file (issue 14.1).
alter table feature add column fragments jsonb not null default '{}'::jsonb;
