-- Never stuck (issue 15): how often StuckRequests queued a request again because it sat QUEUED or
-- PROCESSING past sc.stuck-request-after; past sc.stuck-request-redrives it is FAILED instead.
alter table config_request add column redrives integer not null default 0;

create index config_request_unfinished on config_request (updated_at)
  where status in ('QUEUED', 'PROCESSING');
