-- Issue 14.7: certificates of the tenants' config-signing keys (the keys stay in sc-service).
-- rotation_requested_at: pki-service asked sc-service for the key's successor (rotation policy).
create table config_signing_certificate (
  key_id text primary key,
  tenant_id text not null,
  serial text not null unique,
  chain_pem text not null,
  not_before timestamptz not null,
  not_after timestamptz not null,
  rotation_requested_at timestamptz,
  created_at timestamptz not null
);

create index config_signing_certificate_tenant on config_signing_certificate (tenant_id, not_before);
