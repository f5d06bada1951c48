-- device-api's read model of the inventory (from SC events): who may enroll, who is in service.
create table device (
  id               uuid primary key,
  tenant_id        text        not null,
  serial           text        not null,
  status           text        not null default 'ACTIVE',
  token_sha256     text,
  token_expires_at timestamptz,
  token_used_at    timestamptz,
  updated_at       timestamptz not null default now()
);
create unique index device_token on device (token_sha256) where token_sha256 is not null;

-- Certificates EMS issued to devices (enrollment and PKI events): the fingerprint of the client
-- certificate a request presents names the device.
create table device_credential (
  fingerprint   text primary key,
  device_id     uuid        not null,
  tenant_id     text        not null,
  serial_number text        not null,
  not_after     timestamptz not null,
  revoked_at    timestamptz
);
create index device_credential_device on device_credential (device_id);

-- Enrollment results, so that a retried enrollment with the same CSR gets the same answer.
create table enrollment (
  device_id    uuid        not null,
  csr_sha256   text        not null,
  response     jsonb       not null,
  created_at   timestamptz not null default now(),
  primary key (device_id, csr_sha256)
);

-- Commands waiting for a device's next heartbeat (from diagnostics).
create table device_command (
  command_id   uuid primary key,
  device_id    uuid        not null,
  tenant_id    text        not null,
  type         text        not null,
  parameters   jsonb       not null,
  expires_at   timestamptz not null,
  delivered_at timestamptz
);
create index device_command_pending on device_command (device_id) where delivered_at is null;
