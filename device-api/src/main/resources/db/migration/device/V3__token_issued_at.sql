-- when the device's current bootstrap token was issued (BootstrapTokenIssued.issuedAt): a
-- replayed or redelivered token event must neither revive a used token nor put back an older one
alter table device add column token_issued_at timestamptz;
