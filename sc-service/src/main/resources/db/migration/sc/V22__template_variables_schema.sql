-- The JSON Schema a template set declares for a config request's variables (issue 14); null: none.
alter table template_set add column variables_schema jsonb;
