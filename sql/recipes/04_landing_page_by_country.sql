-- Recipe 04: slice a real A/B test by country.
-- Intent: an analyst's ad-hoc cut that the results job does not compute. The landing-page test
-- (../shared/data/ab-test-landing-page: 294,478 exposures of an old and a new page, with
-- conversions) joined with each user's country. The results job's definitions hold: a user counts
-- once, in the arm (the page shown) of their first exposure, and converted if any of their
-- exposures converted. AB_ANALYZE_AGG accumulates each arm's statistics per country and returns
-- exactly the line `./liftstream analyze` writes for them; JSON_VALUE reads its fields.
-- Needs the data folder; from another directory: --set data_dir=/path/to/shared/data
-- Run: ./liftstream sql -f sql/recipes/04_landing_page_by_country.sql
-- Output:
-- +---------+----------+----------+----------+----------+---------+----------+----------+---------+--------+
-- | country | old_page | new_page | conv_old | conv_new |    lift | ci_lower | ci_upper | p_value |    srm |
-- +---------+----------+----------+----------+----------+---------+----------+----------+---------+--------+
-- |      CA |     7195 |     7304 |   0.1206 |   0.1139 | -0.0558 |  -0.1889 |   0.0774 |     1.0 | 0.3653 |
-- |      UK |    36349 |    36117 |   0.1211 |   0.1228 |  0.0137 |  -0.0528 |   0.0803 |     1.0 | 0.3888 |
-- |      US |   101749 |   101870 |   0.1224 |   0.1196 | -0.0228 |  -0.0629 |   0.0174 |     1.0 | 0.7886 |
-- +---------+----------+----------+----------+----------+---------+----------+----------+---------+--------+
-- 3 rows in set
-- No country shows a lift: the new page is no better anywhere (always-valid p-value 1.0).
CREATE TEMPORARY TABLE ab_data (
    user_id         BIGINT,
    exposed_at      TIMESTAMP(6),
    `group`         STRING,
    landing_page    STRING,
    converted       INT
) WITH (
    'connector' = 'filesystem',
    'path' = '${data_dir:-../shared/data}/ab-test-landing-page/ab_data.csv',
    'format' = 'csv',
    'csv.ignore-parse-errors' = 'true'
);

CREATE TEMPORARY TABLE countries (
    user_id         BIGINT,
    country         STRING
) WITH (
    'connector' = 'filesystem',
    'path' = '${data_dir:-../shared/data}/ab-test-landing-page/countries.csv',
    'format' = 'csv',
    'csv.ignore-parse-errors' = 'true'
);

-- One row per user: the page of the first exposure, converted on any exposure.
CREATE TEMPORARY VIEW users AS
SELECT
    f.user_id,
    f.landing_page AS arm,
    MAX(a.converted) AS converted
FROM (
    SELECT
        user_id,
        landing_page,
        ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY exposed_at, landing_page) AS nth
    FROM ab_data
    WHERE user_id IS NOT NULL
) AS f
JOIN ab_data AS a ON a.user_id = f.user_id
WHERE f.nth = 1
GROUP BY f.user_id, f.landing_page;

CREATE TEMPORARY VIEW by_country AS
SELECT
    c.country,
    AB_ANALYZE_AGG(u.arm, CAST(u.converted AS DOUBLE),
        JSON_OBJECT('id' VALUE c.country, 'metric' VALUE 'proportion', 'method' VALUE 'sequential',
                    'arms' VALUE JSON_ARRAY('old_page', 'new_page'))) AS analysis
FROM users AS u
JOIN countries AS c ON c.user_id = u.user_id
GROUP BY c.country;

SELECT
    country,
    JSON_VALUE(analysis, '$.arms[0].n' RETURNING INT) AS old_page,
    JSON_VALUE(analysis, '$.arms[1].n' RETURNING INT) AS new_page,
    ROUND(JSON_VALUE(analysis, '$.arms[0].mean' RETURNING DOUBLE), 4) AS conv_old,
    ROUND(JSON_VALUE(analysis, '$.arms[1].mean' RETURNING DOUBLE), 4) AS conv_new,
    ROUND(JSON_VALUE(analysis, '$.comparisons[0].expected' RETURNING DOUBLE), 4) AS lift,
    ROUND(JSON_VALUE(analysis, '$.comparisons[0].ci_lower' RETURNING DOUBLE), 4) AS ci_lower,
    ROUND(JSON_VALUE(analysis, '$.comparisons[0].ci_upper' RETURNING DOUBLE), 4) AS ci_upper,
    ROUND(JSON_VALUE(analysis, '$.comparisons[0].p_value' RETURNING DOUBLE), 4) AS p_value,
    ROUND(JSON_VALUE(analysis, '$.srm_p_value' RETURNING DOUBLE), 4) AS srm
FROM by_country
ORDER BY country;
