-- Issue 20: the audit trail, in every service schema. Each tenant's records form a hash chain:
-- record n carries the hash of record n-1 (previous_hash) and its own hash over its fields and that
-- previous hash (AuditChain). audit_chain_head holds each tenant's last seq and hash; appending a
-- record locks that row (select ... for update), so two writes at once in one tenant are chained
-- one after the other and never fork the chain. Bodies are never stored, only SHA-256 digests.
create table audit_record (
  id              uuid        primary key,
  tenant_id       text        not null,
  seq             bigint      not null,
  occurred_at     timestamptz not null,
  actor_type      text        not null,
  actor_id        text        not null,
  actor_name      text,
  action          text        not null,
  resource        text,
  status          integer,
  request_id      text,
  trace_id        text,
  request_digest  text,
  response_digest text,
  previous_hash   text        not null,
  hash            text        not null,
  unique (tenant_id, seq)
);
create index audit_record_time on audit_record (tenant_id, occurred_at);

create table audit_chain_head (
  tenant_id  text   primary key,
  seq        bigint not null,
  hash       text   not null
);
