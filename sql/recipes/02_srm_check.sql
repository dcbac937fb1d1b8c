-- Recipe 02: sample ratio mismatch, checked every day.
-- Intent: an experiment planned 50/50 whose exposure counts drift from day 3 (a bug dropping some
-- treatment exposures). The chi-square SRM p-value (SRM_P_VALUE) is valid for one look only; the
-- sequential SRM p-value (SEQUENTIAL_SRM_P_VALUE, Lindon & Malek 2022) may be checked after every
-- day: carried as a running minimum it stays valid, and it flags the bug once the evidence is
-- strong, without false alarms from daily peeking. Here it flags the mismatch on day 4.
-- Self-contained: daily exposure counts are inline.
-- Run: ./liftstream sql -f sql/recipes/02_srm_check.sql
-- Output:
-- +-----+---------+-----------+--------+----------------+
-- | day | control | treatment |    srm | sequential_srm |
-- +-----+---------+-----------+--------+----------------+
-- |   1 |    5021 |      4987 |  0.734 |            1.0 |
-- |   2 |   10090 |      9963 | 0.3698 |            1.0 |
-- |   3 |   15112 |     14702 | 0.0176 |         0.2416 |
-- |   4 |   20170 |     19388 | 1.0E-4 |         0.0047 |
-- |   5 |   25204 |     24049 |    0.0 |            0.0 |
-- +-----+---------+-----------+--------+----------------+
-- 5 rows in set
CREATE TEMPORARY VIEW daily_exposures (`day`, control, treatment) AS VALUES
    (1, 5021, 4987),
    (2, 5069, 4976),
    (3, 5022, 4739),
    (4, 5058, 4686),
    (5, 5034, 4661);

CREATE TEMPORARY VIEW cumulative AS
SELECT
    `day`,
    SUM(CAST(control AS BIGINT)) OVER (ORDER BY `day`) AS control,
    SUM(CAST(treatment AS BIGINT)) OVER (ORDER BY `day`) AS treatment
FROM daily_exposures;

SELECT
    `day`,
    control,
    treatment,
    ROUND(SRM_P_VALUE(ARRAY[control, treatment]), 4) AS srm,
    ROUND(MIN(SEQUENTIAL_SRM_P_VALUE(ARRAY[control, treatment], ARRAY[0.5, 0.5])) OVER (ORDER BY `day`), 4) AS sequential_srm
FROM cumulative
ORDER BY `day`;
