-- Auto-rollback on health regression. A rollout watches each device it changed for
-- watch_window_ms after the device applied the change (0: no watch; rollouts made before the
-- column existed are not watched); a device whose health turns CRITICAL inside its window gets
-- the feature setting it had before the rollout back.
alter table rollout add column watch_window_ms bigint not null default 0;

alter table rollout_device
  -- when tw-service counted the device APPLIED and until when its health is watched (null: not
  -- watched, e.g. its set did not change)
  add column applied_at            timestamptz,
  add column watch_until           timestamptz,
  -- the rollout feature's setting on the device before the wave changed it: captured says it was
  -- recorded; then a null previous_version means the feature was not set
  add column previous_captured     boolean not null default false,
  add column previous_version      int,
  add column previous_params       jsonb,
  -- the health drop that rolled the device back, when the rollback was made and when the device
  -- reported applying the version the rollback produced
  add column health_dropped_at     timestamptz,
  add column health_reasons        jsonb,
  add column rollback_started_at   timestamptz,
  add column rolled_back_at        timestamptz,
  -- a CRITICAL health consumed while the device was still waiting for its APPLIED report (cleared
  -- by a later non-CRITICAL one): diagnostic-service emits transitions only, so the device is
  -- rolled back as soon as it counts APPLIED
  add column pending_drop_at       timestamptz,
  add column pending_drop_reasons  jsonb;

create index rollout_device_watch_idx on rollout_device (device_id) where watch_until is not null;
-- the rollout statuses a device is waited for in (WAITING, ROLLING_BACK)
drop index rollout_device_waiting_idx;
create index rollout_device_waiting_idx on rollout_device (device_id)
  where status in ('WAITING', 'ROLLING_BACK');
