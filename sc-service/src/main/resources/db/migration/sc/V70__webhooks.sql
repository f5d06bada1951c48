-- Webhooks (issue 17): per-tenant subscriptions, one message per event and tenant, one delivery
-- per message and subscription. The secret is sealed with EMS_SECRETS_KEY (tenant-bound AES-GCM).
create table webhook_subscription (
  id uuid primary key,
  tenant_id text not null,
  url text not null,
  event_types text[] not null,
  secret_sealed text not null,
  enabled boolean not null default true,
  failing_since timestamptz,
  disabled_at timestamptz,
  disabled_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhook_subscription_tenant on webhook_subscription (tenant_id, created_at);

create table webhook_message (
  id text primary key,
  tenant_id text not null,
  event_type text not null,
  subject text not null,
  body text not null,
  created_at timestamptz not null default now()
);

-- seq orders the deliveries of one subscription and order key (the device): only the oldest
-- pending one of each pair is sent, so a device's events arrive in the order EMS consumed them
create table webhook_delivery (
  seq bigserial primary key,
  subscription_id uuid not null references webhook_subscription (id) on delete cascade,
  message_id text not null references webhook_message (id) on delete cascade,
  order_key text not null,
  status text not null default 'PENDING',
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  retry_until timestamptz not null,
  last_status_code int,
  last_error text,
  last_attempt_at timestamptz,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  unique (subscription_id, message_id)
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'PENDING';
create index webhook_delivery_queue on webhook_delivery (subscription_id, order_key, seq)
  where status = 'PENDING';
create index webhook_delivery_log on webhook_delivery (subscription_id, seq desc);
