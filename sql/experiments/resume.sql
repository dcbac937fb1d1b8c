-- Resume an experiment (any experiment: give its id).
-- Intent: resume a paused experiment: the version in force, with status 'running'. Users keep the arm
-- they had before the pause.
-- Every other setting is copied from the version in force (experiments_latest); the new version
-- takes effect at ${effective_at} (now unless given) and must be later than the version in force.
--
-- Run: ./liftstream sql -f sql/experiments/resume.sql --set experiment_id=cart-recovery [--bootstrap-servers HOST:PORT]
INSERT INTO experiments
SELECT
    experiment_id,
    'running' AS status,
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
    ${effective_at:-CURRENT_TIMESTAMP} AS `timestamp`
FROM experiments_latest
WHERE experiment_id = '${experiment_id}';

-- The version now in force (an empty result: no experiment with that id).
SELECT
    experiment_id,
    status,
    policy,
    arms,
    `timestamp`
FROM experiments_latest
WHERE experiment_id = '${experiment_id}';
