-- CA rows are GLOBAL: one hierarchy per installation signs for every tenant, so they carry no
-- tenant_id. End entities and certificates are tenant-owned and carry tenant_id.
create table ca (
  id             text        primary key,          -- 'root' | 'issuing'
  subject_dn     text        not null,
  parent_id      text        references ca (id),
  certificate    bytea       not null,             -- DER
  key_algorithm  text        not null,             -- JCA name: EC | RSA
  encrypted_key  bytea       not null,             -- AES-GCM under pki.key-encryption-key
  created_at     timestamptz not null default now()
);

create table end_entity (
  id                   uuid        primary key,
  tenant_id            text        not null,
  name                 text        not null,       -- the device id
  subject_dn           text        not null,
  certificate_profile  text        not null,
  dns_names            text        not null default '',
  status               text        not null check (status in ('ACTIVE', 'DELETED')),
  created_at           timestamptz not null default now(),
  deleted_at           timestamptz
);
-- a deleted entity stays for the audit trail; the name may be registered again
create unique index end_entity_active_name on end_entity (tenant_id, name) where status = 'ACTIVE';

create table certificate (
  serial               text        primary key,    -- hex, unique for the issuing CA
  tenant_id            text        not null,
  end_entity_id        uuid        not null references end_entity (id),
  entity_name          text        not null,
  issuer_dn            text        not null,
  subject_dn           text        not null,
  not_before           timestamptz not null,
  not_after            timestamptz not null,
  fingerprint_sha256   text        not null,
  der                  bytea       not null,
  enrollment_csr_sha256 text,                      -- set by internal enrollment (idempotency)
  status               text        not null check (status in ('VALID', 'REVOKED')),
  revocation_reason    text,
  revoked_at           timestamptz,
  expiry_announced_at  timestamptz,
  issued_at            timestamptz not null default now()
);
create index certificate_entity on certificate (tenant_id, entity_name);
create index certificate_expiry on certificate (not_after) where status = 'VALID';
create index certificate_revoked on certificate (revoked_at) where status = 'REVOKED';
create unique index certificate_enrollment on certificate (end_entity_id, enrollment_csr_sha256)
  where enrollment_csr_sha256 is not null and status = 'VALID';

-- the current CRL of the issuing CA; regenerated on revocation and on a schedule
create table crl (
  ca_id        text        primary key references ca (id),
  crl_number   bigint      not null,
  this_update  timestamptz not null,
  next_update  timestamptz not null,
  der          bytea       not null
);
