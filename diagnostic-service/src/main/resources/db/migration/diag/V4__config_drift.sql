-- Config drift (issue 14.4): the bundle a device's heartbeats say it runs against the bundles it is
-- expected to run (its last APPLIED version, its latest published one). applied_at is device-api's
-- time of the APPLIED report; a heartbeat received before it is not judged. drift_since is set
-- while the device runs neither expected bundle.
alter table device_health
  add column applied_version int,
  add column applied_sha     text,
  add column applied_at      timestamptz,
  add column running_sha     text,
  add column drift_since     timestamptz;

-- GET /api/v1/fleet/drift reads only drifted devices. Steady heartbeats never change drift_since,
-- so they stay HOT updates.
create index device_health_drift on device_health (tenant_id, drift_since, device_id)
  where drift_since is not null;
