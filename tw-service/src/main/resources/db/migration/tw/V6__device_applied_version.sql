-- The last version each device reported APPLIED (from ConfigStatusReported): when SC publishes a
-- feature change that renders the configuration the device already runs, it publishes that same
-- version again, and the rollout counts the device APPLIED at once instead of waiting for a report
-- the device will not send.
create table device_applied_version (
  device_id   uuid primary key,
  tenant_id   text not null,
  version     int not null,
  sha256      text not null,
  recorded_at timestamptz not null
);
