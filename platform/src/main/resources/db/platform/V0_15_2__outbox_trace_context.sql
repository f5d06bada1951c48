-- Issue 15: the W3C trace context of the transaction that wrote an outbox event, relayed as the
-- CloudEvents distributed-tracing extension (ce_traceparent, ce_tracestate). Null: not traced.
-- Versioned 0.15.2 (issue 15, item 2) so that other platform migrations of that issue do not
-- collide with it; spring.flyway.out-of-order applies it wherever it lands.
alter table outbox_event add column traceparent text;
alter table outbox_event add column tracestate text;
