-- Bulk rollouts of one feature change to selected devices, in waves.
create table rollout (
  id                    uuid primary key,
  tenant_id             text not null,
  feature_key           text not null,
  action                text not null,
  params                jsonb,
  selector              jsonb not null,
  wave_size             int not null,
  failure_threshold     int not null,
  wave_timeout_ms       bigint not null,
  wave_count            int not null,
  current_wave          int not null default 0,
  -- failures the operator accepted by resuming; the threshold counts failures beyond them
  failures_acknowledged int not null default 0,
  status                text not null,
  pause_reason          text,
  created_at            timestamptz not null,
  updated_at            timestamptz not null
);
create index rollout_tenant_idx on rollout (tenant_id, created_at desc);

create table rollout_device (
  rollout_id  uuid not null references rollout (id),
  device_id   uuid not null,
  wave        int not null,
  status      text not null,
  changed_at  timestamptz,
  finished_at timestamptz,
  error       text,
  primary key (rollout_id, device_id)
);
create index rollout_device_waiting_idx on rollout_device (device_id) where status = 'WAITING';
create index rollout_device_wave_idx on rollout_device (rollout_id, wave);
