-- Issue 19: an issuing CA per tenant, signed by EMS's root, made on the tenant's first need (its
-- first issuance or headend bundle). tenant_id is null for the root and the shared issuing CA of
-- earlier releases (whose certificates stay valid and keep their CRL and OCSP answers). Two
-- replicas making a tenant's CA at once: the unique index lets one insert win (on conflict do
-- nothing), and both use the winner's row.
alter table ca add column tenant_id text;
create unique index ca_tenant on ca (tenant_id) where tenant_id is not null;
