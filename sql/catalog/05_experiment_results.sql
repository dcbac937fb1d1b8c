-- Liftstream catalog: live experiment results written by the results job (topic
-- liftstream.experiment-results, keyed by experiment_id, exactly once: read committed records).
-- Intent: read the latest always-valid results per experiment, or their history. Each record is
-- the JSON `./liftstream analyze` writes (status, error, srm_p_value, sequential_srm_p_value, arms,
-- comparisons, each with its status, e.g. relative_lift_unreliable) plus experiment_id, as_of
-- (event time of the result), exposure_conflicts, the current phase and how many phases were
-- combined, the holdout comparison, the SRM check and a recommendation with its reason.
-- Tolerant by design: missing fields read as NULL, unknown fields are ignored, and the parts whose
-- shape may grow (holdout, srm, recommendation, reason) are STRING columns that hold the JSON text
-- of an object (or the plain text of a string): read them with JSON_VALUE.
CREATE TABLE IF NOT EXISTS experiment_results (
    experiment_id           STRING,
    as_of                   TIMESTAMP_LTZ(3),
    id                      STRING,
    status                  STRING,
    error                   STRING,
    srm_p_value             DOUBLE,
    sequential_srm_p_value  DOUBLE,
    arms                    ARRAY<ROW<name STRING, n BIGINT, mean DOUBLE, variance DOUBLE>>,
    comparisons             ARRAY<ROW<
        arm                 STRING,
        expected            DOUBLE,
        se                  DOUBLE,
        ci_lower            DOUBLE,
        ci_upper            DOUBLE,
        p_value             DOUBLE,
        p_value_adjusted    DOUBLE,
        chance_to_win       DOUBLE,
        risk                ARRAY<DOUBLE>,
        significant         BOOLEAN,
        status              STRING
    >>,
    exposure_conflicts      BIGINT,
    phase                   BIGINT,
    phases_combined         BIGINT,
    holdout                 STRING,
    srm                     STRING,
    recommendation          STRING,
    reason                  STRING,
    WATERMARK FOR as_of AS as_of - INTERVAL '0' SECOND
) WITH (
    'connector' = 'kafka',
    'topic' = 'liftstream.experiment-results',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'liftstream-sql',
    'properties.isolation.level' = 'read_committed',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601',
    'json.ignore-parse-errors' = 'true'
);
