-- Secret variables (issue 13): config_version.files is what operators are shown. When the device's
-- bundle holds secrets it differs, and the device's files are kept here, sealed with AES-256-GCM
-- under sc.secrets-key ("v1:" + base64 of nonce, ciphertext and tag); null when nothing differs.
alter table config_version add column device_files_sealed text;
