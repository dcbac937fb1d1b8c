package io.liftstream.jobs.sql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.analyze.AnalyzeJson;
import io.liftstream.jobs.testkit.MiniClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.table.api.DataTypes;
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
 * The SQL statistics functions give exactly the numbers {@code ./liftstream analyze} gives for the
 * same inputs: every line of the analyze fixture through {@code AB_ANALYZE}, every two-arm line
 * through {@code AB_TEST}, the SRM functions against {@code srm_p_value} and
 * {@code sequential_srm_p_value}, and the aggregates over per-user rows against analyze over the
 * sums computed here. Doubles are compared for equality, not closeness.
 */
class StatisticsFunctionsITCase {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path FIXTURE = Path.of("src/test/resources/analyze/fixture.jsonl");

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    @TempDir Path dir;
    private TableEnvironment tEnv;

    @BeforeEach
    void environment() {
        tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        LiftstreamFunctions.register(tEnv);
        LiftstreamFunctions.register(tEnv); // idempotent
    }

    private List<Row> query(String sql) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(sql).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static JsonNode json(String s) throws Exception {
        return MAPPER.readTree(s);
    }

    @Test
    void abAnalyzeAnswersEveryLineAsAnalyzeDoes() throws Exception {
        List<String> lines = Files.readAllLines(FIXTURE, StandardCharsets.UTF_8);
        List<Row> values = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            values.add(Row.of(i, lines.get(i)));
        }
        tEnv.createTemporaryView("fixture", tEnv.fromValues(DataTypes.ROW(
                DataTypes.FIELD("i", DataTypes.INT()), DataTypes.FIELD("line", DataTypes.STRING())), values));
        List<Row> rows = query("SELECT i, AB_ANALYZE(line) FROM fixture ORDER BY i");
        assertThat(rows).hasSize(lines.size());
        for (Row r : rows) {
            String line = lines.get((Integer) r.getField(0));
            assertThat(r.getField(1)).as(line).isEqualTo(AnalyzeJson.answer(line));
        }
        assertThat(rows.stream().filter(r -> ((String) r.getField(1)).contains("\"status\":\"ok\""))).hasSizeGreaterThan(5);
        assertThat(query("SELECT AB_ANALYZE(CAST(NULL AS STRING))")).extracting(r -> r.getField(0)).containsExactly((Object) null);
    }

    @Test
    void abTestGivesAnalyzesComparisonForEveryTwoArmLine() throws Exception {
        int compared = 0;
        for (String line : Files.readAllLines(FIXTURE, StandardCharsets.UTF_8)) {
            JsonNode in;
            try {
                in = json(line);
            } catch (Exception e) {
                continue; // not JSON: nothing to pass as arguments
            }
            if (!in.isObject() || !in.path("arms").isArray() || in.get("arms").size() != 2 || !in.path("metric").isTextual()
                    || !in.path("method").isTextual() || in.get("arms").get(0).has("pre")
                    || !in.get("arms").get(0).has("n") || !in.get("arms").get(1).has("n")) {
                continue;
            }
            ObjectNode settings = ((ObjectNode) in).deepCopy();
            settings.remove(List.of("id", "metric", "method", "arms"));
            JsonNode c = in.get("arms").get(0);
            JsonNode t = in.get("arms").get(1);
            String sql = "SELECT AB_TEST(" + literal(in.get("method").asText()) + ", " + literal(in.get("metric").asText())
                    + ", " + stats(c) + ", " + stats(t) + ", " + literal(settings.toString()) + ")";
            Row got = (Row) query(sql).get(0).getField(0);
            JsonNode expected = json(AnalyzeJson.answer(line));
            JsonNode e = expected.path("comparisons").path(0);
            boolean ok = expected.get("status").asText().equals("ok");
            if (ok) {
                assertThat(got.getField("error")).as(line).isNull();
                for (String f : List.of("expected", "se", "ci_lower", "ci_upper", "p_value", "chance_to_win")) {
                    assertThat(got.getField(f)).as(line + " " + f).isEqualTo(e.get(f).isNull() ? null : e.get(f).doubleValue());
                }
                assertThat(got.getField("risk_control")).isEqualTo(e.get("risk").isNull() ? null : e.get("risk").get(0).doubleValue());
                assertThat(got.getField("risk_treatment")).isEqualTo(e.get("risk").isNull() ? null : e.get("risk").get(1).doubleValue());
                assertThat(got.getField("significant")).isEqualTo(e.get("significant").booleanValue());
            } else {
                assertThat(got.getField("error")).as(line).isEqualTo(expected.get("error").asText().replace("arm 'b'", "arm 'treatment'"));
                assertThat(got.getField("p_value")).isNull();
            }
            compared++;
        }
        assertThat(compared).isGreaterThanOrEqualTo(8);
    }

    private static String stats(JsonNode arm) {
        double sum = arm.get("sum").doubleValue();
        double squares = arm.has("sum_squares") ? arm.get("sum_squares").doubleValue() : sum;
        return arm.get("n").asLong() + ", CAST(" + sum + " AS DOUBLE), CAST(" + squares + " AS DOUBLE)";
    }

    @Test
    void abTestNeverFailsTheQuery() throws Exception {
        Row tooSmall = (Row) query("SELECT AB_TEST('sequential', 'proportion', 1, 1.0, 1.0, 100, 10.0, 10.0)").get(0).getField(0);
        assertThat(tooSmall.getField("error")).isEqualTo("arm 'treatment': an arm has fewer than 2 units");
        assertThat(tooSmall.getField("p_value")).isNull();
        Row badSettings = (Row) query("SELECT AB_TEST('fixed', 'proportion', 100, 10.0, 10.0, 100, 12.0, 12.0, '{\"alpah\": 0.1}')")
                .get(0).getField(0);
        assertThat(badSettings.getField("error")).isEqualTo("unknown field 'alpah'");
        Row badMethod = (Row) query("SELECT AB_TEST('bayes', 'proportion', 100, 10.0, 10.0, 100, 12.0, 12.0)").get(0).getField(0);
        assertThat(badMethod.getField("error")).asString().startsWith("method must be one of");
        assertThat(query("SELECT AB_TEST('fixed', 'proportion', CAST(NULL AS BIGINT), 10.0, 10.0, 100, 12.0, 12.0)"))
                .extracting(r -> r.getField(0)).containsExactly((Object) null);
        // Integer arguments are widened (COUNT(*) is BIGINT, SUM of 0/1 is INT).
        Row ints = (Row) query("SELECT AB_TEST('fixed', 'proportion', 100, 10, 10, 100, 12, 12)").get(0).getField(0);
        assertThat(ints.getField("error")).isNull();
    }

    @Test
    void srmFunctionsEqualAnalyzesSrmPValues() throws Exception {
        String line = "{\"id\":1,\"metric\":\"proportion\",\"method\":\"fixed\",\"weights\":[0.5,0.3,0.2],\"arms\":["
                + "{\"name\":\"a\",\"n\":5100,\"sum\":500},{\"name\":\"b\",\"n\":2950,\"sum\":300},{\"name\":\"c\",\"n\":1900,\"sum\":200}]}";
        JsonNode expected = json(AnalyzeJson.answer(line));
        Row r = query("SELECT SRM_P_VALUE(ARRAY[5100, 2950, 1900], ARRAY[0.5, 0.3, 0.2]), "
                + "SEQUENTIAL_SRM_P_VALUE(ARRAY[CAST(5100 AS BIGINT), 2950, 1900], ARRAY[0.5, 0.3, 0.2]), "
                + "SRM_P_VALUE(ARRAY[5000, 5300]), SEQUENTIAL_SRM_P_VALUE(ARRAY[5000, 5300], ARRAY[0.5, 0.5], 0.01), "
                + "SRM_P_VALUE(ARRAY[5000, 5300], ARRAY[0.5])").get(0);
        assertThat(r.getField(0)).isEqualTo(expected.get("srm_p_value").doubleValue());
        assertThat(r.getField(1)).isEqualTo(expected.get("sequential_srm_p_value").doubleValue());
        // 5100/2950/1900 against 50/30/20: a mismatch for a single look; the anytime-valid test is more cautious.
        assertThat((Double) r.getField(0)).isLessThan(0.05);
        assertThat((Double) r.getField(1)).isGreaterThan((Double) r.getField(0));
        JsonNode equal = json(AnalyzeJson.answer("{\"id\":2,\"metric\":\"proportion\",\"method\":\"fixed\","
                + "\"previous_sequential_srm_p_value\":0.01,\"arms\":[{\"name\":\"a\",\"n\":5000,\"sum\":500},{\"name\":\"b\",\"n\":5300,\"sum\":300}]}"));
        assertThat(r.getField(2)).isEqualTo(equal.get("srm_p_value").doubleValue());
        assertThat(r.getField(3)).isEqualTo(equal.get("sequential_srm_p_value").doubleValue());
        assertThat(r.getField(4)).isNull(); // one weight for two arms
    }

    /** Per-user rows, aggregated in SQL at parallelism 2, against analyze over sums computed here. */
    @Test
    void aggregatesOverPerUserRowsEqualAnalyzeOverTheirSums() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        String[] arms = {"control", "discount", "free_shipping"};
        double[] rates = {0.10, 0.13, 0.11};
        long[] n = new long[3];
        double[] revenue = new double[3];
        double[] revenueSquares = new double[3];
        List<String> users = new ArrayList<>();
        for (int u = 0; u < 30_000; u++) {
            int a = random.nextInt(3);
            // Whole euros: sums are exact in any order, so parallel partial sums equal the serial ones.
            double value = random.nextDouble() < rates[a] ? 20 + random.nextInt(80) : 0;
            n[a]++;
            revenue[a] += value;
            revenueSquares[a] += value * value;
            users.add("u" + u + "," + arms[a] + "," + value);
        }
        Path csv = dir.resolve("users.csv");
        Files.write(csv, users, StandardCharsets.UTF_8);
        tEnv.executeSql("CREATE TEMPORARY TABLE users (user_id STRING, arm STRING, revenue DOUBLE) WITH ("
                + "'connector' = 'filesystem', 'path' = '" + csv.toUri() + "', 'format' = 'csv')");

        List<Row> stats = query("SELECT arm, ARM_STATS(revenue) FROM users GROUP BY arm ORDER BY arm");
        for (int a = 0; a < 3; a++) {
            assertThat(stats.get(a).getField(0)).isEqualTo(arms[a]);
            assertThat(stats.get(a).getField(1)).isEqualTo(Row.of(n[a], revenue[a], revenueSquares[a]));
        }

        String request = "{\"id\":\"revenue\",\"metric\":\"mean\",\"method\":\"msprt\",\"control\":\"control\",\"alpha\":0.1}";
        String got = (String) query("SELECT AB_ANALYZE_AGG(arm, revenue, " + literal(request) + ") FROM users").get(0).getField(0);
        ObjectNode expected = (ObjectNode) json(request);
        var armsNode = expected.putArray("arms");
        for (int a = 0; a < 3; a++) {
            armsNode.addObject().put("name", arms[a]).put("n", n[a]).put("sum", revenue[a]).put("sum_squares", revenueSquares[a]);
        }
        assertThat(got).isEqualTo(AnalyzeJson.answer(expected.toString()));
        assertThat(json(got).get("status").asText()).isEqualTo("ok");
        assertThat(json(got).get("comparisons")).hasSize(2);

        // Listing the arms fixes their order (and with it the order of weights); an unlisted arm is an error line.
        String listed = (String) query("SELECT AB_ANALYZE_AGG(arm, revenue, '{\"id\":\"x\",\"metric\":\"mean\","
                + "\"method\":\"fixed\",\"arms\":[\"free_shipping\",\"discount\",\"control\"]}') FROM users").get(0).getField(0);
        assertThat(json(listed).get("arms").get(0).get("name").asText()).isEqualTo("free_shipping");
        String unlisted = (String) query("SELECT AB_ANALYZE_AGG(arm, revenue, '{\"id\":\"x\",\"metric\":\"mean\","
                + "\"method\":\"fixed\",\"arms\":[\"control\",\"discount\"]}') FROM users").get(0).getField(0);
        assertThat(json(unlisted).get("status").asText()).isEqualTo("error");
        assertThat(json(unlisted).get("error").asText()).isEqualTo("arm 'free_shipping' is not listed in request.arms [control, discount]");
    }

    @Test
    void loadModuleWorksInAnyTableEnvironment() throws Exception {
        TableEnvironment plain = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        plain.executeSql("LOAD MODULE liftstream");
        try (CloseableIterator<Row> it = plain.executeSql("SELECT SRM_P_VALUE(ARRAY[100, 100])").collect()) {
            assertThat(it.next().getField(0)).isEqualTo(1.0);
        }
        assertThat(new LiftstreamModule().listFunctions()).containsExactly(
                "AB_ANALYZE", "AB_ANALYZE_AGG", "AB_ANALYZE_RATIO_AGG", "AB_TEST", "ARM_STATS", "RATIO_STATS",
                "SEQUENTIAL_SRM_P_VALUE", "SRM_P_VALUE");
    }
}
