create table device (
  id                    uuid primary key,
  tenant_id             text        not null,
  serial                text        not null,
  model                 text        not null,
  name                  text        not null,
  bootstrap_token_hash  text        not null,
  created_at            timestamptz not null,
  updated_at            timestamptz not null,
  row_version           bigint      not null default 0,
  constraint device_serial_unique unique (tenant_id, serial)
);

create table config_request (
  id               uuid primary key,
  tenant_id        text        not null,
  device_id        uuid        not null references device (id),
  status           text        not null check (status in ('QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED')),
  variables        jsonb       not null,
  idempotency_key  text,
  requested_by     text        not null,
  failure_reason   text,
  config_version   int,
  created_at       timestamptz not null,
  updated_at       timestamptz not null,
  constraint config_request_idempotency unique (tenant_id, device_id, idempotency_key)
);
create index config_request_device on config_request (device_id, created_at desc);

create table config_version (
  device_id    uuid        not null references device (id),
  version      int         not null,
  tenant_id    text        not null,
  sha256       text        not null,
  files        jsonb       not null,
  request_id   uuid        references config_request (id),
  created_at   timestamptz not null,
  primary key (device_id, version)
);
