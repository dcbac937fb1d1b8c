-- Liftstream catalog: the decision stream written by the decision job (topic liftstream.decisions,
-- keyed by user_id, written exactly once: read committed records only).
-- Intent: one row per answered request; it is also the exposure log of the results job. An
-- exposure to an experiment is a decision with reason 'assigned' or 'sticky' (treated, in `arm`)
-- or 'holdout' (in_holdout = TRUE, the holdout group); the other reasons (consent, suppressed,
-- capped, paused, unknown_experiment, fallback) are not exposures.
-- experiment_version is read as text whatever its JSON type, so the column stays valid whether the
-- job writes a number or a string.
CREATE TABLE IF NOT EXISTS decisions (
    decision_id         STRING,
    request_id          STRING,
    user_id             STRING,
    experiment_id       STRING,
    arm                 STRING,
    in_holdout          BOOLEAN,
    policy              STRING,
    propensity          DOUBLE,
    reason              STRING,
    `timestamp`         TIMESTAMP_LTZ(3),
    experiment_version  STRING,
    event_time AS `timestamp`,
    WATERMARK FOR event_time AS event_time - INTERVAL '10' SECOND
) WITH (
    'connector' = 'kafka',
    'topic' = 'liftstream.decisions',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'liftstream-sql',
    'properties.isolation.level' = 'read_committed',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);
