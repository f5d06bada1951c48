-- Platform tables, present in every service schema (Flyway location db/platform, versions 0.x;
-- the service's own migrations are 1 and up, and spring.flyway.out-of-order lets a later 0.x in).

-- Transactional outbox: events written in the same transaction as the state change, relayed to
-- Kafka by OutboxRelay in id order.
create table outbox_event (
  id          bigserial primary key,
  topic       text        not null,
  record_key  text        not null,
  headers     jsonb       not null,
  payload     bytea       not null,
  created_at  timestamptz not null default now(),
  failed_at   timestamptz,
  last_error  text
);
create index outbox_event_pending on outbox_event (id) where failed_at is null;

-- Operator API keys. Only the SHA-256 of a key is stored; keys are 256-bit random strings, so a
-- fast hash is enough (no password stretching needed).
create table api_key (
  id          uuid primary key,
  tenant_id   text        not null,
  name        text        not null,
  key_hash    text        not null unique,
  role        text        not null check (role in ('VIEWER', 'OPERATOR', 'ADMIN')),
  created_at  timestamptz not null default now(),
  revoked_at  timestamptz
);
