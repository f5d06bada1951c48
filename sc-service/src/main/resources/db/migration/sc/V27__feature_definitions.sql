-- Feature definitions consumed from tw-service (issue 14.1). Every version is kept: a device's
-- feature set names the version it runs, which may be older than the catalogue's current one.
create table feature_definition (
  tenant_id   text        not null,
  key         text        not null,
  version     int         not null,
  fragments   jsonb       not null,
  deleted     boolean     not null,
  changed_at  timestamptz not null,
  primary key (tenant_id, key, version)
);

-- A request whose feature set names a definition not received yet waits (QUEUED) for a bounded
-- time from waiting_since, then fails; waiting_for says which definition.
alter table config_request
  add column waiting_for   text,
  add column waiting_since timestamptz;
create index config_request_waiting on config_request (waiting_since) where waiting_for is not null;
