-- device-api's read model of the configuration each device should run, built from ConfigPublished.
-- body is the exact JSON served to the device, rendered once when the event arrives.
create table published_config (
  device_id     uuid primary key,
  tenant_id     text        not null,
  version       int         not null,
  sha256        text        not null,
  body          bytea       not null,
  published_at  timestamptz not null
);
