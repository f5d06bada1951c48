create table widget (
  id        uuid primary key,
  tenant_id text not null,
  name      text not null
);
