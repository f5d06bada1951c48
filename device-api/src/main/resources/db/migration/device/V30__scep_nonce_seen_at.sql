-- Issue 18: scep_nonce rows are purged once past twice the replay window (ScepTransactions.purge);
-- the purge finds them by the time they were seen.
create index scep_nonce_seen_at on scep_nonce (seen_at);
