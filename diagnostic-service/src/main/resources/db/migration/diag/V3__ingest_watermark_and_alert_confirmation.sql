-- Heartbeats update device_health in place at ~1,700 rows/s. Keep every plain heartbeat a HOT
-- update: no index on a column a heartbeat changes (next_deadline was indexed; the offline sweep
-- now scans the table, a few ms for 100k rows every sweep), and free room on each page.
drop index device_health_deadline;
alter table device_health set (fillfactor = 70);

-- Tunnel-down conditions seen but not yet confirmed by enough consecutive heartbeats to open an
-- alert (diag.alert-confirm-heartbeats); parallel arrays: condition, heartbeats seen so far.
alter table device_health
  add column pending_conditions text[] not null default '{}',
  add column pending_counts     int[]  not null default '{}';

-- Per telemetry partition, the time up to which every heartbeat has been consumed: the newest
-- receivedAt consumed while the consumer is behind, the consumer's clock once it is caught up.
-- The offline sweep measures silence against the oldest of them, never against wall time alone,
-- so consumer lag cannot make devices OFFLINE.
create table ingest_watermark (
  topic_partition int primary key,
  watermark       timestamptz not null,
  updated_at      timestamptz not null
);
