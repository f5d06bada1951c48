-- Issue 14.7 (docs/adr/0009): each published version's detached JWS, served with the bundle, and
-- the tenants' config-signing certificate chains from pki-service, served to their devices.
alter table published_config add column signature text;

create table config_signing_chain (
  key_id     text        primary key,
  tenant_id  text        not null,
  chain_pem  text        not null,
  not_before timestamptz not null,
  not_after  timestamptz not null
);

create index config_signing_chain_tenant on config_signing_chain (tenant_id, not_after);
