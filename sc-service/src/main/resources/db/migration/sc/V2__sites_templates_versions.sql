-- Sites with their variables; devices gain site, tags, variables, lifecycle and config status.
create table site (
  id          uuid primary key,
  tenant_id   text        not null,
  name        text        not null,
  variables   jsonb       not null default '{}',
  created_at  timestamptz not null,
  updated_at  timestamptz not null,
  row_version bigint      not null default 0,
  constraint site_name_unique unique (tenant_id, name)
);

alter table device
  add column site_id        uuid references site (id),
  add column tags           text[]      not null default '{}',
  add column variables      jsonb       not null default '{}',
  add column status         text        not null default 'ACTIVE'
    check (status in ('ACTIVE', 'DECOMMISSIONED')),
  add column config_status  text        not null default 'NONE'
    check (config_status in ('NONE', 'PENDING', 'APPLIED', 'FAILED', 'OUT_OF_SYNC')),
  add column token_issued_at timestamptz,
  add column replaced_serials text[]    not null default '{}';
create index device_tenant_site on device (tenant_id, site_id);
create index device_tenant_model on device (tenant_id, model);
create index device_tags on device using gin (tags);

-- Serial uniqueness applies to devices in service; a decommissioned serial may come back.
alter table device drop constraint device_serial_unique;
create unique index device_serial_active on device (tenant_id, serial) where status = 'ACTIVE';

-- Tenant-wide default variables (lowest precedence).
create table tenant_variables (
  tenant_id   text primary key,
  variables   jsonb       not null,
  updated_at  timestamptz not null
);

-- Operator template sets per device model: output path -> Jinja2 source.
create table template_set (
  tenant_id   text        not null,
  model       text        not null,
  files       jsonb       not null,
  revision    int         not null,
  updated_by  text        not null,
  updated_at  timestamptz not null,
  primary key (tenant_id, model)
);

-- Each device's feature set as TW last published it (highest-precedence variables).
create table device_features (
  device_id   uuid primary key,
  tenant_id   text        not null,
  features    jsonb       not null,
  revision    bigint      not null,
  updated_at  timestamptz not null
);

alter table config_version
  add column inputs        jsonb,
  add column requested_by  text,
  add column template_revision int,
  add column rollback_of   int,
  add column apply_status  text not null default 'PENDING'
    check (apply_status in ('PENDING', 'APPLIED', 'FAILED')),
  add column apply_error   text,
  add column applied_at    timestamptz,
  add column reported_sha256 text;
