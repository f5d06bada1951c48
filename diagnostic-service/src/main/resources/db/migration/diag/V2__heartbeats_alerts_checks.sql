-- Latest state of each device next to its health (one row per device, updated in place by the
-- heartbeat batches, the config and certificate events and the offline sweep).
alter table device_health
  add column connectivity       text not null default 'UNKNOWN'
                                  check (connectivity in ('UNKNOWN', 'ONLINE', 'OFFLINE')),
  add column last_seen          timestamptz,
  -- when an ONLINE device turns OFFLINE unless a heartbeat arrives first; null otherwise
  add column next_deadline      timestamptz,
  add column firmware           text,
  add column uptime_seconds     bigint,
  add column tunnel_names       text[] not null default '{}',
  add column tunnel_states      text[] not null default '{}',
  add column clock_skew_seconds bigint,
  add column last_metrics_at    timestamptz,
  add column desired_version    int,
  add column desired_sha        text,
  add column reported_version   int,
  add column reported_sha       text,
  add column reported_status    text,
  add column reported_error     text,
  add column reported_at        timestamptz,
  add column cert_status        text not null default 'NONE',
  add column cert_serial        text,
  add column cert_detail        text,
  -- condition keys of the current findings; alerts are synced when this set changes
  add column conditions         text[] not null default '{}';

-- The offline sweep reads only ONLINE devices past their deadline.
create index device_health_deadline on device_health (next_deadline) where connectivity = 'ONLINE';

-- Tunnel state changes, bounded by diag.history-retention.
create table tunnel_event (
  id             bigserial primary key,
  tenant_id      text        not null,
  device_id      uuid        not null,
  tunnel         text        not null,
  state          text        not null,
  previous_state text        not null,
  at             timestamptz not null
);
create index tunnel_event_device on tunnel_event (device_id, at desc);
create index tunnel_event_at on tunnel_event (at);

-- Sampled heartbeat metrics (at most one row per device per diag.metrics-sample-interval).
create table device_metric (
  id             bigserial primary key,
  tenant_id      text        not null,
  device_id      uuid        not null,
  at             timestamptz not null,
  uptime_seconds bigint      not null,
  tunnels        jsonb       not null
);
create index device_metric_device on device_metric (device_id, at desc);
create index device_metric_at on device_metric (at);

-- Alerts: one open alert per device and condition (the partial unique index is what keeps two
-- instances from both opening one). clear_since starts the hold-down before it resolves.
create table alert (
  id              uuid primary key,
  tenant_id       text        not null,
  device_id       uuid        not null,
  condition       text        not null,
  severity        text        not null,
  message         text        not null,
  opened_at       timestamptz not null,
  last_raised_at  timestamptz not null,
  clear_since     timestamptz,
  resolved_at     timestamptz,
  occurrences     int         not null default 1,
  acknowledged_at timestamptz,
  acknowledged_by text
);
create unique index alert_open on alert (device_id, condition) where resolved_at is null;
create index alert_tenant on alert (tenant_id, opened_at desc);
create index alert_clearing on alert (clear_since) where resolved_at is null and clear_since is not null;

-- On-demand checks handed to devices through device-api.
create table device_check (
  id           uuid primary key,
  tenant_id    text        not null,
  device_id    uuid        not null,
  type         text        not null,
  parameters   jsonb       not null,
  status       text        not null check (status in ('PENDING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT')),
  output       text,
  requested_by text        not null,
  requested_at timestamptz not null,
  expires_at   timestamptz not null,
  completed_at timestamptz
);
create index device_check_device on device_check (device_id, requested_at desc);
create index device_check_pending on device_check (expires_at) where status = 'PENDING';
