-- Change the arm weights of cart-recovery to 0.2 / 0.4 / 0.4 (towards the two incentives).
-- Intent: weights are the split of the fixed policy and the planned split the SRM check compares
-- against: users already assigned keep their arm; only new users follow the new weights. A bandit
-- policy (cart-recovery's is thompson) splits equally during burn-in and then follows its
-- posteriors, so for it the new weights change no allocation, only the version in force.
-- Every other setting is copied from the version in force.
-- The new version takes effect at ${effective_at} (now unless given).
--
-- Run: ./liftstream sql -f sql/experiments/cart-recovery-weights.sql [--bootstrap-servers HOST:PORT]
INSERT INTO experiments
SELECT
    experiment_id,
    status,
    `trigger`,
    placement,
    ARRAY[
        ROW('control', 0.2),
        ROW('discount', 0.4),
        ROW('free_shipping', 0.4)
    ] AS arms,
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
WHERE experiment_id = 'cart-recovery';

SELECT
    experiment_id,
    status,
    arms,
    `timestamp`
FROM experiments_latest
WHERE experiment_id = 'cart-recovery';
