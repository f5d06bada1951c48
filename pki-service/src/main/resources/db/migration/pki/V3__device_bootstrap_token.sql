-- pki-service checks a device's bootstrap token itself (issue 13, ADR 0006 amendment 2): the
-- internal service key alone no longer enrolls a device. Only the token's SHA-256 is kept, as SC's
-- BootstrapTokenIssued carries it; issued_at orders the events (an older one replayed changes
-- nothing); csr_sha256 is the CSR the token was claimed for, spent_at when it produced a
-- certificate (single use).
alter table end_entity add column bootstrap_token_sha256 text;
alter table end_entity add column bootstrap_token_issued_at timestamptz;
alter table end_entity add column bootstrap_token_expires_at timestamptz;
alter table end_entity add column bootstrap_token_csr_sha256 text;
alter table end_entity add column bootstrap_token_spent_at timestamptz;
