-- Commands at least once (issue 16): a command stays pending until the device acknowledges it (in
-- a later heartbeat or by posting its check result); until then every heartbeat response hands it
-- out again. delivered_at is now the last hand-out. Commands delivered under the old rule (handed
-- out once, then done) count as acknowledged.
alter table device_command
  add column acknowledged_at timestamptz,
  add column result_at timestamptz,
  add column hand_outs integer not null default 0;

update device_command set acknowledged_at = delivered_at, hand_outs = 1
  where delivered_at is not null;

drop index device_command_pending;
create index device_command_unacknowledged on device_command (device_id)
  where acknowledged_at is null;
