-- Issue 20: records are chained after their commit, not while the write waits. A write inserts its
-- record unchained (seq, previous_hash and hash null) in its own transaction, without any lock; the
-- audit sequencer (AuditSequencer) chains a tenant's unchained records in entry order, in batches,
-- under the tenant's audit_chain_head row lock, which only the sequencer takes. Before this, every
-- write held that lock until its commit, so one tenant's writes went one at a time.
alter table audit_record alter column seq drop not null;
alter table audit_record alter column previous_hash drop not null;
alter table audit_record alter column hash drop not null;
alter table audit_record add column entry bigserial;
create index audit_record_unchained on audit_record (tenant_id, entry) where seq is null;
