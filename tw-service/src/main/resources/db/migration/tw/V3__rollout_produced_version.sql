-- The configuration version SC produced for a device after its wave changed the device's features;
-- only a report of exactly this version and sha256 finishes the device.
alter table rollout_device
  add column produced_version int,
  add column produced_sha256  text,
  -- the last APPLIED / FAILED report consumed before the produced version was: the two topics are
  -- consumed independently, so a device's report can overtake the version it reports on
  add column early_version    int,
  add column early_sha256     text,
  add column early_status     text,
  add column early_error      text;
