-- Tenants as every service knows them (replicated from sc-service's compacted tenant topic). A
-- tenant that is not listed here (one that predates tenant objects) counts as active.
create table tenant (
  id          text primary key,
  name        text        not null,
  status      text        not null check (status in ('ACTIVE', 'SUSPENDED')),
  created_at  timestamptz not null default now(),
  changed_at  timestamptz not null default now()
);
