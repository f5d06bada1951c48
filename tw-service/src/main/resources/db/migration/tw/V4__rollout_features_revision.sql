-- The revision of the device's feature set its wave's change made: SC names the version that
-- revision's set made (ConfigPublished.cause = 'features-<revision>'), so that version, and not one
-- an operator's request published meanwhile, is the one the device must report. Null for devices
-- that started waiting before the column existed: they keep taking the first version published.
alter table rollout_device add column features_revision bigint;
