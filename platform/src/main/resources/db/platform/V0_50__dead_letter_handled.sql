-- Dead letters an administrator re-drove or discarded (the dead-letter API): a record is re-driven
-- at most once, and the list can hide handled ones. Keyed by where the record sits in its
-- dead-letter topic; the record itself stays in Kafka.
create table dead_letter_handled (
  topic        text        not null,
  "partition"  integer     not null,
  "offset"     bigint      not null,
  action       text        not null check (action in ('REDRIVEN', 'DISCARDED')),
  handled_by   text        not null,
  handled_at   timestamptz not null default now(),
  primary key (topic, "partition", "offset")
);
