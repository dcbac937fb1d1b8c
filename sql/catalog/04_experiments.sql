-- Liftstream catalog: experiment definitions (topic liftstream.experiments, compacted, keyed by
-- experiment_id). The decision and results jobs read this changelog and apply each new version
-- while they run.
-- Intent: define and change experiments in SQL. Each row's JSON value is exactly the experiment
-- definition JSON the jobs read (README, "Experiment definition"); a NULL column is written as JSON
-- null, which means "absent: use the default". Durations are ISO-8601 strings ('PT24H', 'P1D');
-- `timestamp` is when the version takes effect (ISO-8601 UTC).
--   experiments          write here: INSERT INTO experiments ... (one row = one new version; the
--                        latest version per experiment_id wins). Stop an experiment with status
--                        'stopped', never with a tombstone (README: "Pause, change weights, resume, stop").
--   experiment_versions  read here: every version ever written, in the order written.
--   experiments_latest   read here: the version in force per experiment (the latest timestamp).
CREATE TABLE IF NOT EXISTS experiments (
    experiment_id   STRING NOT NULL,
    status          STRING,
    `trigger`       STRING,
    placement       STRING,
    arms            ARRAY<ROW<name STRING, weight DOUBLE>>,
    policy          STRING,
    coverage        DOUBLE,
    hash_version    INT,
    seed            STRING,
    namespace       ROW<id STRING, `start` DOUBLE, `end` DOUBLE>,
    holdout_pct     DOUBLE,
    reward          ROW<event STRING, `value` STRING, `window` STRING>,
    frequency_cap   ROW<`max` INT, `per` STRING>,
    min_arm_share   DOUBLE,
    burn_in         INT,
    analysis        ROW<
        `method`            STRING,
        alpha               DOUBLE,
        `relative`          BOOLEAN,
        sides               STRING,
        sequential_tuning   DOUBLE,
        msprt_tau2          DOUBLE,
        gst_max_n           BIGINT,
        control             STRING,
        `primary`           ROW<name STRING, event STRING, `value` STRING, `window` STRING, desired STRING>,
        guardrails          ARRAY<ROW<name STRING, event STRING, `value` STRING, `window` STRING, desired STRING>>
    >,
    `timestamp`     TIMESTAMP_LTZ(3),
    PRIMARY KEY (experiment_id) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = 'liftstream.experiments',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.isolation.level' = 'read_committed',
    'key.format' = 'raw',
    'value.format' = 'json',
    'value.fields-include' = 'ALL',
    'value.json.timestamp-format.standard' = 'ISO-8601'
);

CREATE TABLE IF NOT EXISTS experiment_versions
WITH (
    'connector' = 'kafka',
    'topic' = 'liftstream.experiments',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'liftstream-sql',
    'properties.isolation.level' = 'read_committed',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
)
LIKE experiments (EXCLUDING ALL);

CREATE VIEW IF NOT EXISTS experiments_latest AS
SELECT
    experiment_id,
    status,
    `trigger`,
    placement,
    arms,
    policy,
    coverage,
    hash_version,
    seed,
    namespace,
    holdout_pct,
    reward,
    frequency_cap,
    min_arm_share,
    burn_in,
    analysis,
    `timestamp`
FROM (
    SELECT
        *,
        ROW_NUMBER() OVER (PARTITION BY experiment_id ORDER BY `timestamp` DESC) AS version_rank
    FROM experiment_versions
)
WHERE version_rank = 1;
