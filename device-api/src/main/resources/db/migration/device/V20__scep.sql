-- Issue 18: SCEP (RFC 8894). Every sender nonce seen, so a replayed message is refused; every
-- transaction: the key that opened it (requests of the same transaction must come from the same
-- key) and, once issued, the certificate GetCertInitial answers with.
create table scep_nonce (
  sender_nonce bytea       primary key,
  seen_at      timestamptz not null default now()
);

create table scep_transaction (
  transaction_id  text        primary key,
  key_sha256      text        not null,
  device_id       uuid,
  certificate_pem text,
  created_at      timestamptz not null default now()
);
