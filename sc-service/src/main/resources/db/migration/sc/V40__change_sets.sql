-- Change sets (issue 14.6, ADR 0010): staged operations, approved by a second person, applied at
-- once or in each device's site maintenance window.
create table change_set (
  id              uuid        primary key,
  tenant_id       text        not null,
  description     text,
  author_key_id   uuid        not null,
  author          text        not null,
  status          text        not null,
  apply_mode      text        not null,
  operations      jsonb       not null,
  approved_by     text,
  approved_key_id uuid,
  approved_at     timestamptz,
  failure_reason  text,
  created_at      timestamptz not null,
  updated_at      timestamptz not null
);
create index change_set_tenant on change_set (tenant_id, created_at desc);

-- One row per affected device once the set is approved: due_at is when it may be applied (now, or
-- the next opening of its site's window); the sweep takes due rows with skip locked.
create table change_set_device (
  change_set_id  uuid        not null references change_set (id) on delete cascade,
  device_id      uuid        not null,
  tenant_id      text        not null,
  status         text        not null,
  due_at         timestamptz not null,
  started_at     timestamptz,
  request_id     uuid,
  via_features   boolean     not null default false,
  config_version int,
  failure_reason text,
  primary key (change_set_id, device_id)
);
create index change_set_device_due on change_set_device (due_at) where status = 'PENDING';
create index change_set_device_applying on change_set_device (started_at)
  where status = 'APPLYING';

-- Whether a tenant's change sets need a second person's approval (no row: they do).
create table tenant_change_policy (
  tenant_id        text        primary key,
  require_approval boolean     not null,
  updated_at       timestamptz not null
);

-- A site's maintenance window: days of week, local start, duration, IANA zone (null: none, a
-- change applies at once).
alter table site add column maintenance_window jsonb;

-- The parameter schema of each feature version tw-service publishes, to check a change set's
-- feature parameters before it is approved (feature_definition keeps what SC renders).
create table feature_parameter_schema (
  tenant_id         text        not null,
  key               text        not null,
  version           int         not null,
  parameters_schema jsonb,
  depends_on        jsonb,
  conflicts_with    jsonb,
  deleted           boolean     not null,
  changed_at        timestamptz not null,
  primary key (tenant_id, key, version)
);
