package io.liftstream.jobs.sql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.ArmInput;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.SampleStats;
import io.liftstream.jobs.testkit.MiniClusters;
import io.liftstream.jobs.testkit.RealData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An ad-hoc SQL slice of the real landing-page A/B test by country (ab_data joined with countries;
 * a user counts in the arm, the page shown, of their first exposure and converted if any exposure
 * converted) equals the same slice computed here in plain Java from the CSV files and analysed with
 * {@link Analyzer}: users and conversions per country and page exactly, and the sequential
 * comparison's numbers exactly. Skipped when ../shared/data is absent.
 */
class LandingPageSliceITCase {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().toFormatter();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    private record Exposure(LocalDateTime at, String page) {}

    @Test
    void sliceByCountryEqualsAnIndependentComputation() throws Exception {
        Path abData = RealData.find("ab-test-landing-page/ab_data.csv");
        assumeTrue(abData != null, "../shared/data/ab-test-landing-page is absent");
        Path countriesCsv = abData.resolveSibling("countries.csv");

        // Independent computation: first exposure per user, conversion on any exposure.
        Map<String, Exposure> first = new HashMap<>();
        Map<String, Integer> converted = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(abData)) {
            r.readLine();
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(",");
                Exposure e = new Exposure(LocalDateTime.parse(f[1], TIME), f[3]);
                first.merge(f[0], e, (a, b) -> b.at().isBefore(a.at())
                        || b.at().equals(a.at()) && b.page().compareTo(a.page()) < 0 ? b : a);
                converted.merge(f[0], Integer.parseInt(f[4]), Math::max);
            }
        }
        Map<String, String> country = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(countriesCsv)) {
            r.readLine();
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(",");
                country.put(f[0], f[1]);
            }
        }
        Map<String, Map<String, SampleStats>> expected = new TreeMap<>();
        first.forEach((user, e) -> {
            String c = country.get(user);
            if (c != null) {
                expected.computeIfAbsent(c, k -> new TreeMap<>()).merge(e.page(),
                        SampleStats.EMPTY.add(converted.get(user)), SampleStats::merge);
            }
        });

        // The same slice in SQL.
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        LiftstreamFunctions.register(tEnv);
        tEnv.executeSql("CREATE TEMPORARY TABLE ab_data (user_id BIGINT, exposed_at TIMESTAMP(6), `group` STRING, "
                + "landing_page STRING, converted INT) WITH ('connector' = 'filesystem', 'path' = '" + abData.toUri()
                + "', 'format' = 'csv', 'csv.ignore-parse-errors' = 'true')");
        tEnv.executeSql("CREATE TEMPORARY TABLE countries (user_id BIGINT, country STRING) WITH ('connector' = "
                + "'filesystem', 'path' = '" + countriesCsv.toUri() + "', 'format' = 'csv', 'csv.ignore-parse-errors' = 'true')");
        tEnv.executeSql("""
                CREATE TEMPORARY VIEW users AS
                SELECT f.user_id, f.landing_page AS arm, MAX(a.converted) AS converted
                FROM (SELECT user_id, landing_page,
                             ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY exposed_at, landing_page) AS nth
                      FROM ab_data WHERE user_id IS NOT NULL) AS f
                JOIN ab_data AS a ON a.user_id = f.user_id
                WHERE f.nth = 1
                GROUP BY f.user_id, f.landing_page""");
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql("""
                SELECT c.country,
                       AB_ANALYZE_AGG(u.arm, CAST(u.converted AS DOUBLE), '{"id":"slice","metric":"proportion",
                           "method":"sequential","arms":["old_page","new_page"]}'),
                       ARM_STATS(CASE WHEN u.arm = 'old_page' THEN CAST(u.converted AS DOUBLE) END),
                       ARM_STATS(CASE WHEN u.arm = 'new_page' THEN CAST(u.converted AS DOUBLE) END)
                FROM users AS u JOIN countries AS c ON c.user_id = u.user_id
                GROUP BY c.country
                ORDER BY c.country""").collect()) {
            it.forEachRemaining(rows::add);
        }

        assertThat(rows).extracting(r -> r.getField(0)).containsExactlyElementsOf(expected.keySet());
        long users = 0;
        for (Row row : rows) {
            String c = (String) row.getField(0);
            SampleStats old = expected.get(c).get("old_page");
            SampleStats neu = expected.get(c).get("new_page");
            users += old.n() + neu.n();
            assertThat(row.getField(2)).as(c).isEqualTo(Row.of(old.n(), old.sum(), old.sumSquares()));
            assertThat(row.getField(3)).as(c).isEqualTo(Row.of(neu.n(), neu.sum(), neu.sumSquares()));

            AnalysisResult java = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.PROPORTION)
                    .method(Method.SEQUENTIAL).arms(List.of(ArmInput.of("old_page", old), ArmInput.of("new_page", neu))).build());
            AnalysisResult.Comparison e = java.comparisons().get(0);
            JsonNode sql = MAPPER.readTree((String) row.getField(1));
            JsonNode s = sql.get("comparisons").get(0);
            assertThat(sql.get("status").asText()).isEqualTo("ok");
            assertThat(sql.get("arms").get(0).get("n").asLong()).isEqualTo(old.n());
            assertThat(s.get("expected").doubleValue()).as(c).isEqualTo(e.expected());
            assertThat(s.get("ci_lower").doubleValue()).as(c).isEqualTo(e.ciLower());
            assertThat(s.get("ci_upper").doubleValue()).as(c).isEqualTo(e.ciUpper());
            assertThat(s.get("p_value").doubleValue()).as(c).isEqualTo(e.pValue());
            assertThat(sql.get("srm_p_value").doubleValue()).as(c).isEqualTo(java.srmPValue());
        }
        // Every user of the test has a country: 290,584 distinct users.
        assertThat(users).isEqualTo(first.size()).isEqualTo(290_584);
    }
}
