-- Recipe 03: why look with an always-valid p-value.
-- Intent: an A/A-like experiment (no true difference) read every day. The fixed-horizon p-value
-- (Welch) dips below 0.05 on day 2 by chance: stopping there would ship a change that does
-- nothing. The sequential p-value (confidence sequences, carried as a running minimum) and mSPRT
-- stay far above 0.05 on every day: peeking is safe with them.
-- Self-contained: cumulative users and conversions per arm and day are inline.
-- Run: ./liftstream sql -f sql/recipes/03_peeking.sql
-- Output:
-- +-----+---------+--------------+---------+--------------+--------------+
-- | day | fixed_p | sequential_p | msprt_p | seq_ci_lower | seq_ci_upper |
-- +-----+---------+--------------+---------+--------------+--------------+
-- |   1 |  0.0827 |       0.7379 |  0.8368 |       -0.136 |       0.4979 |
-- |   2 |  0.0279 |        0.393 |   0.571 |      -0.0636 |       0.3936 |
-- |   3 |  0.2067 |        0.393 |   0.571 |      -0.1034 |       0.2474 |
-- |   4 |    0.49 |        0.393 |   0.571 |      -0.1162 |       0.1827 |
-- |   5 |   0.745 |        0.393 |   0.571 |      -0.1194 |       0.1471 |
-- +-----+---------+--------------+---------+--------------+--------------+
-- 5 rows in set
CREATE TEMPORARY VIEW daily (`day`, n_a, conv_a, n_b, conv_b) AS VALUES
    (1, 2000, 210, 2000, 248),
    (2, 4000, 400, 4000, 466),
    (3, 6000, 611, 6000, 655),
    (4, 8000, 812, 8000, 839),
    (5, 10000, 1010, 10000, 1024);

SELECT
    `day`,
    ROUND(AB_TEST('fixed', 'proportion', n_a, conv_a, conv_a, n_b, conv_b, conv_b).p_value, 4) AS fixed_p,
    ROUND(MIN(AB_TEST('sequential', 'proportion', n_a, conv_a, conv_a, n_b, conv_b, conv_b).p_value)
          OVER (ORDER BY `day`), 4) AS sequential_p,
    ROUND(MIN(AB_TEST('msprt', 'proportion', n_a, conv_a, conv_a, n_b, conv_b, conv_b).p_value)
          OVER (ORDER BY `day`), 4) AS msprt_p,
    ROUND(AB_TEST('sequential', 'proportion', n_a, conv_a, conv_a, n_b, conv_b, conv_b).ci_lower, 4) AS seq_ci_lower,
    ROUND(AB_TEST('sequential', 'proportion', n_a, conv_a, conv_a, n_b, conv_b, conv_b).ci_upper, 4) AS seq_ci_upper
FROM daily
ORDER BY `day`;
