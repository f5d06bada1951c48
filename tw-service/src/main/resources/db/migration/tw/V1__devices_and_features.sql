-- Read model of SC's inventory: which devices exist, with what model, site and tags.
-- features_revision is the revision of the device's feature set (ETag, DeviceFeaturesChanged).
create table device (
  id                uuid primary key,
  tenant_id         text not null,
  serial            text,
  model             text,
  name              text,
  site_id           uuid,
  tags              text[] not null default '{}',
  status            text not null default 'ACTIVE',
  features_revision bigint not null default 0,
  updated_at        timestamptz not null
);
create index device_tenant_idx on device (tenant_id, status);
create index device_tags_idx on device using gin (tags);

-- The feature catalogue. Built-in features are stored under the tenant '*' and can be shadowed
-- by a tenant's own definition of the same key.
create table feature (
  tenant_id         text not null,
  key               text not null,
  version           int not null,
  description       text not null default '',
  parameters_schema jsonb not null,
  templates         jsonb not null default '{}',
  depends_on        text[] not null default '{}',
  conflicts_with    text[] not null default '{}',
  updated_at        timestamptz not null,
  primary key (tenant_id, key)
);

-- Each device's feature set: the feature's catalogue version when it was set and the validated
-- parameters.
create table device_feature (
  device_id       uuid not null references device (id),
  tenant_id       text not null,
  feature_key     text not null,
  feature_version int not null,
  params          jsonb not null,
  updated_at      timestamptz not null,
  primary key (device_id, feature_key)
);
create index device_feature_key_idx on device_feature (tenant_id, feature_key);
