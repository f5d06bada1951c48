-- Issue 18: the SCEP registration authority's certificates (device-api answers SCEP with them).
-- The RA's RSA key is stored sealed by KeyVault (AES-256-GCM under pki.key-encryption-key, the
-- certificate's serial bound as associated data), never in the clear.
create table scep_ra (
  serial          text        primary key,
  certificate_der bytea       not null,
  sealed_key      bytea       not null,
  not_before      timestamptz not null,
  not_after       timestamptz not null,
  created_at      timestamptz not null default now()
);
