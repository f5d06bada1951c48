-- Reliability under faults (issue 16): a FAILED request may name a stable code beside its reason,
-- e.g. bundle-too-large when its ConfigPublished would exceed Kafka's record limit.
alter table config_request add column failure_code text;
