-- Liftstream catalog: the shopper events stream.
-- Intent: query the raw Segment-spec track events that feed the trigger job (topic liftstream.events).
-- The job itself validates every line (dead letters, late events); this table is for analysis:
-- lines whose timestamp is not an ISO-8601 string parse with a NULL event time and are skipped.
CREATE TABLE IF NOT EXISTS events (
    `type`          STRING,
    `event`         STRING,
    `userId`        STRING,
    `anonymousId`   STRING,
    `messageId`     STRING,
    `timestamp`     TIMESTAMP_LTZ(3),
    `properties`    ROW<
        product_id  STRING,
        sku         STRING,
        price       DOUBLE,
        quantity    INT,
        cart_id     STRING,
        order_id    STRING,
        revenue     DOUBLE,
        `value`     DOUBLE,
        currency    STRING
    >,
    user_id AS COALESCE(NULLIF(`userId`, ''), `anonymousId`),
    event_time AS `timestamp`,
    WATERMARK FOR event_time AS event_time - INTERVAL '10' SECOND
) WITH (
    'connector' = 'kafka',
    'topic' = 'liftstream.events',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'liftstream-sql',
    'properties.isolation.level' = 'read_committed',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601',
    'json.ignore-parse-errors' = 'true'
);
