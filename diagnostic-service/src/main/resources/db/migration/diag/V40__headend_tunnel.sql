-- The management tunnel as the headend sees it (issue 19): ESTABLISHED while the headend holds an
-- IKE SA with an installed child SA for the device, DOWN once it no longer does, null while the
-- headend has never reported the device. Health trusts it over the device's own report.
alter table device_health add column headend_tunnel text;
