-- Experiment: cart-recovery (the demo's experiment).
-- Intent: win back abandoned carts. Every cart_abandoned trigger asks for a decision; Thompson
-- sampling sends one of three recovery messages and learns from orders completed within 24 hours
-- of the message. 5% of users are held out (no message) to measure what the messages add at all.
-- Results: always-valid (sequential) at alpha 0.05, each message against the plain reminder.
--
-- Run on the embedded default:  ./liftstream sql -f sql/experiments/cart-recovery.sql
-- or against Kafka:             ./liftstream sql -f sql/experiments/cart-recovery.sql --bootstrap-servers HOST:PORT
-- The version takes effect at ${effective_at}: now, unless given, e.g.
--   --set "effective_at=TIMESTAMP '2026-11-20 00:00:00'"   (UTC)
INSERT INTO experiments (
    experiment_id,
    status,
    `trigger`,
    arms,
    policy,
    holdout_pct,
    reward,
    min_arm_share,
    burn_in,
    analysis,
    `timestamp`
)
VALUES (
    'cart-recovery',
    'running',
    'cart_abandoned',
    ARRAY[
        ROW('control', 0.34),           -- the plain reminder: "you left something in your cart"
        ROW('discount', 0.33),          -- the reminder with a 10% discount code
        ROW('free_shipping', 0.33)      -- the reminder with free shipping
    ],
    'thompson',
    5,                                  -- holdout_pct: 5% of users get no message
    ROW(
        'Order Completed',              -- reward.event
        'conversion',                   -- reward.value: 1 if the user orders within the window
        'PT24H'                         -- reward.window after the user's first message
    ),
    0.01,                               -- min_arm_share: every message keeps at least 1% of traffic
    100,                                -- burn_in: equal split until each message has 100 outcomes
    ROW(
        'sequential',                   -- analysis.method: always-valid confidence sequences
        0.05,                           -- alpha
        TRUE,                           -- relative lift
        'two',                          -- sides
        CAST(NULL AS DOUBLE),           -- sequential_tuning (default 5000)
        CAST(NULL AS DOUBLE),           -- msprt_tau2 (msprt only)
        CAST(NULL AS BIGINT),           -- gst_max_n (gst only)
        'control',                      -- control arm
        ROW(                            -- primary metric: the reward, named
            'conversion', 'Order Completed', 'conversion', 'PT24H', 'increase'
        ),
        CAST(NULL AS ARRAY<ROW<name STRING, event STRING, `value` STRING, `window` STRING, desired STRING>>)
                                        -- guardrails: none
    ),
    ${effective_at:-CURRENT_TIMESTAMP}
);
