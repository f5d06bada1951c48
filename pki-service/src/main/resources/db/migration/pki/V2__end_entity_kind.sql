-- Device end entities come only from the inventory (issue 13, hole 3): kind tells them apart from
-- the entities operators register, whose names may never be a device's. device_serial is the
-- hardware the device currently is: a new serial (RMA) revokes the old hardware's certificates.
alter table end_entity add column kind text not null default 'OPERATOR'
  check (kind in ('DEVICE', 'OPERATOR'));
alter table end_entity add column device_serial text;

-- Entities the inventory made before kinds existed have exactly this shape; where several tenants
-- hold the same name, the first one registered is the inventory's (another tenant can only have
-- learnt the id afterwards).
update end_entity e set kind = 'DEVICE'
where e.certificate_profile = 'device' and e.subject_dn = 'CN=' || e.name and e.dns_names = ''
  and not exists (
    select 1 from end_entity o
    where o.name = e.name and o.tenant_id <> e.tenant_id and o.created_at < e.created_at);

-- names are checked across tenants when an operator registers one
create index end_entity_name on end_entity (name);
-- the inventory event time that set device_serial: an older event replayed later changes nothing
alter table end_entity add column device_serial_at timestamptz;
