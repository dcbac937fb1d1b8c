package io.liftstream.jobs.sql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.jobs.analyze.AnalyzeJson;
import io.liftstream.jobs.testkit.MiniClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Ratio metrics in SQL: {@code RATIO_STATS} and {@code AB_ANALYZE_RATIO_AGG} over per-user rows at
 * parallelism 2 give the sums computed here and exactly {@code analyze}'s line for them, and
 * {@code AB_ANALYZE} reproduces gbstats' ratio test.
 */
class RatioFunctionsITCase {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    @TempDir Path dir;
    private TableEnvironment tEnv;

    @BeforeEach
    void environment() {
        tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        LiftstreamFunctions.register(tEnv);
    }

    private List<Row> query(String sql) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(sql).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void revenuePerOrderFromPerUserRowsEqualsAnalyzeOverTheirSums() throws Exception {
        SplittableRandom random = new SplittableRandom(2018);
        String[] arms = {"control", "treatment"};
        double[][] sums = new double[2][6];
        List<String> users = new ArrayList<>();
        for (int u = 0; u < 20_000; u++) {
            int a = random.nextInt(2);
            // Whole numbers: sums are exact in any order, so parallel partial sums equal the serial ones.
            int orders = random.nextDouble() < 0.6 ? 0 : 1 + random.nextInt(4);
            double revenue = 0;
            for (int o = 0; o < orders; o++) {
                revenue += 10 + random.nextInt(a == 0 ? 60 : 64);
            }
            double[] s = sums[a];
            s[0]++;
            s[1] += revenue;
            s[2] += revenue * revenue;
            s[3] += orders;
            s[4] += orders * orders;
            s[5] += revenue * orders;
            users.add("u" + u + "," + arms[a] + "," + revenue + "," + orders);
        }
        Path csv = dir.resolve("users.csv");
        Files.write(csv, users, StandardCharsets.UTF_8);
        tEnv.executeSql("CREATE TEMPORARY TABLE users (user_id STRING, arm STRING, revenue DOUBLE, orders DOUBLE) WITH ("
                + "'connector' = 'filesystem', 'path' = '" + csv.toUri() + "', 'format' = 'csv')");

        List<Row> stats = query("SELECT arm, RATIO_STATS(revenue, orders) FROM users GROUP BY arm ORDER BY arm");
        for (int a = 0; a < 2; a++) {
            double[] s = sums[a];
            assertThat(stats.get(a).getField(1)).isEqualTo(Row.of((long) s[0], s[1], s[2], s[3], s[4], s[5]));
        }

        String request = "{\"id\":\"rpo\",\"metric\":\"ratio\",\"method\":\"sequential\",\"control\":\"control\"}";
        String got = (String) query("SELECT AB_ANALYZE_RATIO_AGG(arm, revenue, orders, '" + request + "') FROM users")
                .get(0).getField(0);
        ObjectNode expected = (ObjectNode) MAPPER.readTree(request);
        var armsNode = expected.putArray("arms");
        for (int a = 0; a < 2; a++) {
            double[] s = sums[a];
            armsNode.addObject().put("name", arms[a]).put("n", (long) s[0]).put("sum", s[1]).put("sum_squares", s[2])
                    .putObject("denominator").put("sum", s[3]).put("sum_squares", s[4]).put("sum_product", s[5]);
        }
        assertThat(got).isEqualTo(AnalyzeJson.answer(expected.toString()));
        JsonNode line = MAPPER.readTree(got);
        assertThat(line.get("status").asText()).isEqualTo("ok");
        assertThat(line.get("arms").get(0).get("mean").asDouble()).isEqualTo(sums[0][1] / sums[0][3]);

        // Without "metric": "ratio" analyze says why.
        String wrong = (String) query("SELECT AB_ANALYZE_RATIO_AGG(arm, revenue, orders, '{\"id\":\"x\",\"metric\":\"mean\","
                + "\"method\":\"fixed\"}') FROM users").get(0).getField(0);
        assertThat(MAPPER.readTree(wrong).get("error").asText()).isEqualTo("arm 'control'.denominator is only for metric \"ratio\"");
    }

    @Test
    void abAnalyzeReproducesGbstatsRatioTest() throws Exception {
        String line = "{\"id\":\"gb-ratio\",\"metric\":\"ratio\",\"method\":\"fixed\",\"arms\":["
                + "{\"name\":\"zero\",\"n\":100,\"sum\":270,\"sum_squares\":848.79,\"denominator\":{\"sum\":510,\"sum_squares\":810,\"sum_product\":-900}},"
                + "{\"name\":\"one\",\"n\":120,\"sum\":300,\"sum_squares\":869,\"denominator\":{\"sum\":500,\"sum_squares\":800,\"sum_product\":-905}}]}";
        Double p = (Double) query("SELECT JSON_VALUE(AB_ANALYZE('" + line + "'), '$.comparisons[0].p_value' RETURNING DOUBLE)")
                .get(0).getField(0);
        assertThat(p).isCloseTo(0.610663339, within(5e-10));
    }
}
