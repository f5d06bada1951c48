-- Tenants that own data from before tenants were objects become tenant rows (ACTIVE), so that a
-- system administrator can suspend them and can never create a new tenant under an id that already
-- holds devices, sites or keys. The other services learn of them when one changes (TenantChanged);
-- until then an unknown tenant counts as active there.
insert into tenant (id, name, status)
select distinct tenant_id, tenant_id, 'ACTIVE'
from (
  select tenant_id from api_key
  union select tenant_id from device
  union select tenant_id from site
  union select tenant_id from template_set
  union select tenant_id from tenant_variables
) owners
on conflict (id) do nothing;
