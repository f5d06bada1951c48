-- renewal (issue 18): the device's current certificate is found by its fingerprint
create index certificate_fingerprint on certificate (fingerprint_sha256);
