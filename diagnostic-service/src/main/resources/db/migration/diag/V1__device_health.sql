-- Health of every device diagnostics knows of. Rows appear with DeviceCreated (UNKNOWN until the
-- first heartbeat); the heartbeat and tunnel logic of the diagnostics issue moves them on.
create table device_health (
  device_id   uuid primary key,
  tenant_id   text        not null,
  serial      text        not null,
  health      text        not null check (health in ('OK', 'WARNING', 'CRITICAL', 'UNKNOWN')),
  reasons     text[]      not null default '{}',
  changed_at  timestamptz not null,
  created_at  timestamptz not null default now()
);
create index device_health_tenant_health on device_health (tenant_id, health);
