-- Issue 14.7: signed config bundles. Each version carries its detached JWS; each tenant has
-- config-signing keys, the private key sealed under sc.secrets-key, one of them current.
alter table config_version add column signature text;

create table config_signing_key (
  key_id text primary key,
  tenant_id text not null,
  private_key_sealed text not null,
  csr_pem text not null,
  current boolean not null default false,
  rotation_id uuid unique,
  chain_pem text,
  x5t_s256 text,
  not_before timestamptz,
  not_after timestamptz,
  requested_at timestamptz not null,
  created_at timestamptz not null
);

create unique index config_signing_key_current on config_signing_key (tenant_id) where current;
create index config_signing_key_tenant on config_signing_key (tenant_id, created_at);
