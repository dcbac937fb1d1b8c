-- Recipe 01: an experiment's results from its exposure log, in plain SQL.
-- Intent: reproduce what the results job computes, with its definitions. The unit is the user: a
-- user counts in the arm of their first exposure (a later exposure to another arm is a conflict:
-- counted, the user does not move); holdout exposures form the holdout group; the metric is
-- conversion, an Order Completed within 24 hours of the user's first exposure. ARM_STATS gives each
-- arm's sufficient statistics, AB_TEST compares each message with the control arm.
-- Self-contained: 1,000 users, their decisions and orders are generated inline (deterministically);
-- on a live system read the decisions and events tables instead.
-- Run: ./liftstream sql -f sql/recipes/01_results_from_exposures.sql
-- Output (the discount's +61% lift is not yet conclusive at 1,000 users; an always-valid p-value
-- can be read again as data arrives without inflating false positives):
-- +---------------+-------+-------------+------------+-----------+
-- |           grp | users | conversions | conversion | conflicts |
-- +---------------+-------+-------------+------------+-----------+
-- |       control |   317 |          53 |     0.1672 |         7 |
-- |      discount |   316 |          85 |      0.269 |         6 |
-- | free_shipping |   317 |          58 |      0.183 |         7 |
-- |       holdout |    50 |           6 |       0.12 |         0 |
-- +---------------+-------+-------------+------------+-----------+
-- 4 rows in set
-- +---------------+--------+----------+----------+---------+
-- |           arm |   lift | ci_lower | ci_upper | p_value |
-- +---------------+--------+----------+----------+---------+
-- |      discount | 0.6088 |  -0.3075 |   1.5252 |  0.3236 |
-- | free_shipping | 0.0943 |  -0.5955 |   0.7842 |     1.0 |
-- +---------------+--------+----------+----------+---------+
-- 2 rows in set
SET 'sql-client.display.max-column-width' = '40';

CREATE TEMPORARY VIEW digits (d) AS VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);

CREATE TEMPORARY VIEW users AS
SELECT
    a.d * 100 + b.d * 10 + c.d AS i,
    'user-' || CAST(a.d * 100 + b.d * 10 + c.d AS STRING) AS user_id
FROM digits AS a, digits AS b, digits AS c;

-- Exposures: every user once (arm by i mod 3, 5% held out), every 50th user again, later, in another arm.
CREATE TEMPORARY VIEW exposures AS
SELECT
    user_id,
    CASE MOD(i, 3) WHEN 0 THEN 'control' WHEN 1 THEN 'discount' ELSE 'free_shipping' END AS arm,
    MOD(i, 20) = 7 AS in_holdout,
    TIMESTAMPADD(MINUTE, i, TIMESTAMP '2026-11-20 00:00:00') AS exposed_at
FROM users
UNION ALL
SELECT
    user_id,
    CASE MOD(i + 1, 3) WHEN 0 THEN 'control' WHEN 1 THEN 'discount' ELSE 'free_shipping' END AS arm,
    FALSE AS in_holdout,
    TIMESTAMPADD(HOUR, 2, TIMESTAMPADD(MINUTE, i, TIMESTAMP '2026-11-20 00:00:00')) AS exposed_at
FROM users
WHERE MOD(i, 50) = 3;

-- Orders: a pseudo-random share of users orders 1 to 30 hours after their first exposure.
CREATE TEMPORARY VIEW orders AS
SELECT
    user_id,
    TIMESTAMPADD(HOUR, 1 + MOD(i, 30), TIMESTAMPADD(MINUTE, i, TIMESTAMP '2026-11-20 00:00:00')) AS ordered_at
FROM users
WHERE MOD(i * 7919, 100) < CASE MOD(i, 3) WHEN 0 THEN 20 WHEN 1 THEN 32 ELSE 26 END;

-- One row per user: the first exposure decides the group; conflicts are later exposures to another arm.
CREATE TEMPORARY VIEW first_exposure AS
SELECT user_id, arm, in_holdout, exposed_at
FROM (
    SELECT
        *,
        ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY exposed_at) AS nth
    FROM exposures
)
WHERE nth = 1;

CREATE TEMPORARY VIEW conflicts AS
SELECT f.user_id, COUNT(*) AS conflicts
FROM first_exposure AS f
JOIN exposures AS e ON e.user_id = f.user_id AND e.arm <> f.arm
GROUP BY f.user_id;

CREATE TEMPORARY VIEW per_user AS
SELECT
    f.user_id,
    CASE WHEN f.in_holdout THEN 'holdout' ELSE f.arm END AS grp,
    MAX(CASE
            WHEN o.ordered_at >= f.exposed_at AND o.ordered_at < f.exposed_at + INTERVAL '24' HOUR THEN 1.0
            ELSE 0.0
        END) AS converted,
    COALESCE(MAX(c.conflicts), 0) AS conflicts
FROM first_exposure AS f
LEFT JOIN orders AS o ON o.user_id = f.user_id
LEFT JOIN conflicts AS c ON c.user_id = f.user_id
GROUP BY f.user_id, CASE WHEN f.in_holdout THEN 'holdout' ELSE f.arm END;

CREATE TEMPORARY VIEW per_group AS
SELECT grp, ARM_STATS(converted) AS s, SUM(conflicts) AS conflicts
FROM per_user
GROUP BY grp;

-- Users, conversions and exposure conflicts per group.
SELECT
    grp,
    s.n AS users,
    CAST(s.`sum` AS BIGINT) AS conversions,
    ROUND(s.`sum` / s.n, 4) AS conversion,
    conflicts
FROM per_group
ORDER BY grp;

-- Each message against the plain reminder: relative lift with its always-valid 95% interval.
SELECT
    t.grp AS arm,
    ROUND(AB_TEST('sequential', 'proportion', c.s.n, c.s.`sum`, c.s.sum_squares,
                  t.s.n, t.s.`sum`, t.s.sum_squares).expected, 4) AS lift,
    ROUND(AB_TEST('sequential', 'proportion', c.s.n, c.s.`sum`, c.s.sum_squares,
                  t.s.n, t.s.`sum`, t.s.sum_squares).ci_lower, 4) AS ci_lower,
    ROUND(AB_TEST('sequential', 'proportion', c.s.n, c.s.`sum`, c.s.sum_squares,
                  t.s.n, t.s.`sum`, t.s.sum_squares).ci_upper, 4) AS ci_upper,
    ROUND(AB_TEST('sequential', 'proportion', c.s.n, c.s.`sum`, c.s.sum_squares,
                  t.s.n, t.s.`sum`, t.s.sum_squares).p_value, 4) AS p_value
FROM per_group AS t
JOIN per_group AS c ON c.grp = 'control'
WHERE t.grp IN ('discount', 'free_shipping')
ORDER BY arm;
