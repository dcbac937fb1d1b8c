-- Liftstream catalog: the triggers stream written by the trigger job (topic liftstream.triggers,
-- keyed by user_id). One row per detected moment; trigger_id is deterministic, so a replay
-- republishes the same ids. Context fields that do not apply to a trigger type are NULL.
CREATE TABLE IF NOT EXISTS triggers (
    trigger_id          STRING,
    `trigger`           STRING,
    user_id             STRING,
    event_time          TIMESTAMP_LTZ(3),
    detected_at         TIMESTAMP_LTZ(3),
    anchor_message_id   STRING,
    context             ROW<
        items               ARRAY<ROW<product_id STRING, sku STRING, quantity INT, price DOUBLE>>,
        item_count          INT,
        `value`             DOUBLE,
        currency            STRING,
        cart_id             STRING,
        first_added_at      TIMESTAMP_LTZ(3),
        last_added_at       TIMESTAMP_LTZ(3),
        order_id            STRING,
        checkout_started_at TIMESTAMP_LTZ(3),
        view_count          INT,
        product_ids         ARRAY<STRING>,
        first_viewed_at     TIMESTAMP_LTZ(3),
        last_viewed_at      TIMESTAMP_LTZ(3),
        event_count         INT,
        window_start        TIMESTAMP_LTZ(3),
        window_end          TIMESTAMP_LTZ(3)
    >,
    WATERMARK FOR event_time AS event_time - INTERVAL '10' SECOND
) WITH (
    'connector' = 'kafka',
    'topic' = 'liftstream.triggers',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'liftstream-sql',
    'properties.isolation.level' = 'read_committed',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);
