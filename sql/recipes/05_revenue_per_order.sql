-- Recipe 05: a ratio metric (revenue per order) with the delta method, raw and capped.
-- Intent: revenue per order is Σ revenue / Σ orders over an arm's users. The user, not the order, is
-- randomised, so one user's orders are correlated and a per-order t-test would be too optimistic;
-- RATIO_STATS keeps the six sums the delta method needs (n, Σm, Σm², Σd, Σd², Σm·d) and
-- AB_ANALYZE_RATIO_AGG answers as `./liftstream analyze` does for `"metric": "ratio"`. Capping each
-- user's revenue at 1,000 (LEAST; an absolute cap, as GrowthBook's) stops a few whales from
-- dominating: here four whales in control (20,000 each) make the treatment look like a significant 47%
-- loss; capped, no significant difference remains (+2%, p = 0.52).
-- Self-contained: 2,000 users, their orders and revenue are generated inline (deterministically).
-- Run: ./liftstream sql -f sql/recipes/05_revenue_per_order.sql
-- Output:
-- +-----------+-------+--------+----------+-------------------+
-- |       arm | users | orders |  revenue | revenue_per_order |
-- +-----------+-------+--------+----------+-------------------+
-- |   control |  1000 |   1508 | 158000.0 |            104.77 |
-- | treatment |  1000 |   1500 |  83160.0 |             55.44 |
-- +-----------+-------+--------+----------+-------------------+
-- 2 rows in set
-- +----------------+---------+----------+----------+---------+
-- |        revenue |    lift | ci_lower | ci_upper | p_value |
-- +----------------+---------+----------+----------+---------+
-- |            raw | -0.4709 |  -0.7328 |   -0.209 |  4.0E-4 |
-- | capped at 1000 |  0.0196 |  -0.0407 |   0.0798 |  0.5245 |
-- +----------------+---------+----------+----------+---------+
-- 2 rows in set
SET 'sql-client.display.max-column-width' = '40';

CREATE TEMPORARY VIEW digits (d) AS VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);

-- Per user: arm by parity; users 2k and 2k + 1 share the draw of their order count (0 to 4), and
-- each draws 20 to 79 per order (+10% in treatment); every 250th control user is a whale: 2 orders,
-- 20,000 in total.
CREATE TEMPORARY VIEW per_user AS
SELECT
    user_id,
    arm,
    CAST(orders AS DOUBLE) AS orders,
    CASE
        WHEN whale THEN 20000.0
        ELSE orders * (20 + MOD(k * 7919 + 29 * MOD(i, 2), 60)) * CASE WHEN arm = 'treatment' THEN 1.1 ELSE 1.0 END
    END AS revenue
FROM (
    SELECT
        i,
        k,
        'user-' || CAST(i AS STRING) AS user_id,
        CASE MOD(i, 2) WHEN 0 THEN 'control' ELSE 'treatment' END AS arm,
        MOD(i, 2) = 0 AND MOD(k, 250) = 0 AS whale,
        CASE
            WHEN MOD(i, 2) = 0 AND MOD(k, 250) = 0 THEN 2
            WHEN MOD(k * 7919, 10) < 4 THEN 0
            ELSE 1 + MOD(k * 104729, 4)
        END AS orders
    FROM (
        SELECT i, (i - MOD(i, 2)) / 2 AS k
        FROM (
            SELECT a.d * 1000 + b.d * 100 + c.d * 10 + e.d AS i
            FROM digits AS a, digits AS b, digits AS c, digits AS e
            WHERE a.d < 2
        )
    )
);

-- Each arm's sufficient statistics of the ratio.
SELECT
    arm,
    s.n AS users,
    CAST(s.denominator_sum AS BIGINT) AS orders,
    ROUND(s.`sum`, 0) AS revenue,
    ROUND(s.`sum` / s.denominator_sum, 2) AS revenue_per_order
FROM (SELECT arm, RATIO_STATS(revenue, orders) AS s FROM per_user GROUP BY arm)
ORDER BY arm;

-- Treatment against control, relative lift of revenue per order, fixed-horizon 95% interval.
SELECT
    revenue,
    ROUND(JSON_VALUE(line, '$.comparisons[0].expected' RETURNING DOUBLE), 4) AS lift,
    ROUND(JSON_VALUE(line, '$.comparisons[0].ci_lower' RETURNING DOUBLE), 4) AS ci_lower,
    ROUND(JSON_VALUE(line, '$.comparisons[0].ci_upper' RETURNING DOUBLE), 4) AS ci_upper,
    ROUND(JSON_VALUE(line, '$.comparisons[0].p_value' RETURNING DOUBLE), 4) AS p_value
FROM (
    SELECT 'raw' AS revenue, AB_ANALYZE_RATIO_AGG(arm, revenue, orders,
        '{"id":"rpo","metric":"ratio","method":"fixed","control":"control"}') AS line
    FROM per_user
    UNION ALL
    SELECT 'capped at 1000' AS revenue, AB_ANALYZE_RATIO_AGG(arm, LEAST(revenue, 1000.0), orders,
        '{"id":"rpo","metric":"ratio","method":"fixed","control":"control"}') AS line
    FROM per_user
)
ORDER BY revenue DESC;
