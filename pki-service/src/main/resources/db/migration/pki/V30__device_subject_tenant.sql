-- Issue 19: a device's subject names its tenant (CN=<device id>,O=<tenant>), so that a tenant's
-- management tunnel headend accepts only its own tenant's devices (swanctl remote id
-- "O=<tenant>, CN=*"). Devices registered before get it for their next certificate (renewal);
-- their current certificate keeps CN=<device id> and is refused by the new headend configuration.
update end_entity
set subject_dn = subject_dn || ',O=' || tenant_id
where kind = 'DEVICE' and subject_dn = 'CN=' || name and tenant_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$';
