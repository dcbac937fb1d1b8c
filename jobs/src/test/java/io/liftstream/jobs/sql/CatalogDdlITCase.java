package io.liftstream.jobs.sql;

import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.assignment.Arm;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.assignment.FrequencyCap;
import io.liftstream.experiments.assignment.HashVersion;
import io.liftstream.experiments.assignment.Namespace;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.bandit.PolicyType;
import io.liftstream.jobs.experiments.ExperimentDefinitionJson;
import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.testkit.MiniClusters;
import io.liftstream.jobs.testkit.SegmentLines;
import io.liftstream.jobs.testkit.TableFiles;
import io.liftstream.triggers.CartLine;
import io.liftstream.triggers.TriggerContext;
import io.liftstream.triggers.TriggerRecord;
import io.liftstream.triggers.TriggerType;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The catalog DDL in {@code sql/catalog} is valid Flink SQL and reads exactly the JSON the jobs
 * write: the catalog is loaded as {@code ./liftstream sql} loads it on the embedded default (each
 * topic a directory of JSON lines, {@link TableBacking#files}); the tests put lines produced by the
 * jobs' own serializers (or, for streams whose job is not in this module yet, lines of the agreed
 * contract) in a topic's directory and query the table. The experiments table is checked the
 * other way round too: what an {@code INSERT} writes is what {@link ExperimentDefinitionJson} reads.
 */
class CatalogDdlITCase {
    private static final Path CATALOG = Path.of("..", "sql", "catalog");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    @TempDir Path dir;
    private TableEnvironment tEnv;

    @BeforeEach
    void createCatalog() {
        tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        tEnv.getConfig().set("table.local-time-zone", "UTC");
        CatalogDdl.load(tEnv, CATALOG, TableBacking.files(dir), true);
    }

    @Test
    void theJarCarriesTheCatalogOfTheRepository() {
        assertThat(CatalogDdl.files(null)).isEqualTo(CatalogDdl.files(CATALOG));
        assertThat(CatalogDdl.files(CATALOG)).extracting(CatalogDdl.CatalogFile::name).containsExactly(
                "01_events.sql", "02_triggers.sql", "03_decisions.sql", "04_experiments.sql", "05_experiment_results.sql");
    }

    private void topic(String topic, List<String> lines) throws Exception {
        Files.write(dir.resolve(topic).resolve("part-0.json"), lines, StandardCharsets.UTF_8);
    }

    private List<Row> query(String sql) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(sql).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void triggersTableReadsTheTriggerJson() throws Exception {
        TriggerContext cart = new TriggerContext();
        cart.items = new CartLine[] {new CartLine("p1", null, 2, 19.9)};
        cart.itemCount = 2;
        cart.value = 39.8;
        cart.currency = "EUR";
        cart.firstAddedAt = T0;
        cart.lastAddedAt = T0 + MINUTE;
        TriggerRecord r = TriggerRecord.of(TriggerType.CART_ABANDONED, "u1", "m1", T0 + 31 * MINUTE, T0 + 32 * MINUTE, cart);
        topic("liftstream.triggers", List.of(JsonLines.trigger(r)));

        List<Row> rows = query("SELECT trigger_id, `trigger`, user_id, event_time, detected_at, context.item_count, "
                + "context.`value`, context.items[1].product_id, context.items[1].quantity, context.first_added_at, "
                + "context.view_count FROM triggers");
        assertThat(rows).hasSize(1);
        Row row = rows.get(0);
        assertThat(row.getField(0)).isEqualTo(r.triggerId);
        assertThat(row.getField(1)).isEqualTo("cart_abandoned");
        assertThat(row.getField(2)).isEqualTo("u1");
        assertThat(row.getField(3)).isEqualTo(Instant.ofEpochMilli(T0 + 31 * MINUTE));
        assertThat(row.getField(4)).isEqualTo(Instant.ofEpochMilli(T0 + 32 * MINUTE));
        assertThat(row.getField(5)).isEqualTo(2);
        assertThat(row.getField(6)).isEqualTo(39.8);
        assertThat(row.getField(7)).isEqualTo("p1");
        assertThat(row.getField(8)).isEqualTo(2);
        assertThat(row.getField(9)).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(row.getField(10)).isNull();
    }

    @Test
    void eventsTableReadsSegmentTrackEvents() throws Exception {
        topic("liftstream.events", List.of(
                SegmentLines.productAdded("u1", T0, "p1", 19.9, 2),
                "{\"type\":\"track\",\"event\":\"Product Viewed\",\"anonymousId\":\"a1\",\"timestamp\":\"2026-11-20T10:00:05.000Z\"}"));
        List<Row> rows = query("SELECT user_id, `event`, event_time, properties.product_id, properties.price, "
                + "properties.quantity FROM events ORDER BY event_time");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getField(0)).isEqualTo("u1");
        assertThat(rows.get(0).getField(1)).isEqualTo("Product Added");
        assertThat(rows.get(0).getField(2)).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(rows.get(0).getField(3)).isEqualTo("p1");
        assertThat(rows.get(0).getField(4)).isEqualTo(19.9);
        assertThat(rows.get(0).getField(5)).isEqualTo(2);
        assertThat(rows.get(1).getField(0)).isEqualTo("a1");
    }

    /** The decision record of the lead's contract (the decision job is built in parallel). */
    @Test
    void decisionsTableReadsTheDecisionContract() throws Exception {
        topic("liftstream.decisions", List.of(
                "{\"decision_id\":\"d1\",\"request_id\":\"r1\",\"user_id\":\"u1\",\"experiment_id\":\"cart-recovery\","
                        + "\"arm\":\"discount\",\"in_holdout\":false,\"policy\":\"thompson\",\"propensity\":0.41,"
                        + "\"reason\":\"assigned\",\"timestamp\":\"2026-11-20T10:00:00.000Z\",\"experiment_version\":3}",
                "{\"decision_id\":\"d2\",\"request_id\":\"r2\",\"user_id\":\"u2\",\"experiment_id\":\"cart-recovery\","
                        + "\"arm\":\"control\",\"in_holdout\":true,\"policy\":\"thompson\",\"propensity\":1.0,"
                        + "\"reason\":\"holdout\",\"timestamp\":\"2026-11-20T10:00:01.000Z\","
                        + "\"experiment_version\":\"2026-11-19T00:00:00Z\"}"));
        List<Row> rows = query("SELECT decision_id, user_id, arm, in_holdout, propensity, reason, event_time, "
                + "experiment_version FROM decisions ORDER BY event_time");
        assertThat(rows).extracting(Row::toString).containsExactly(
                "+I[d1, u1, discount, false, 0.41, assigned, 2026-11-20T10:00:00Z, 3]",
                "+I[d2, u2, control, true, 1.0, holdout, 2026-11-20T10:00:01Z, 2026-11-19T00:00:00Z]");
    }

    @Test
    void experimentsTableWritesTheDefinitionJson() throws Exception {
        tEnv.executeSql("""
                INSERT INTO experiments VALUES (
                    'cart-recovery', 'paused', 'cart_abandoned', CAST(NULL AS STRING),
                    ARRAY[ROW('control', 0.2), ROW('discount', 0.3), ROW('free_shipping', 0.5)],
                    'top_two', 0.8, 2, 's1', ROW('checkout', 0, 0.5), 5,
                    ROW('Order Completed', 'revenue', 'PT24H'), ROW(3, 'P1D'), 0.02, 50,
                    ROW('gst', 0.01, FALSE, 'greater', 4000, 0.0004, 100000, 'control',
                        ROW('conversion', 'Order Completed', 'conversion', 'P1D', 'increase'),
                        ARRAY[ROW('refunds', 'Order Refunded', 'conversion', 'P7D', 'decrease')]),
                    TIMESTAMP '2026-11-23 10:00:00')""").await();
        tEnv.executeSql("""
                INSERT INTO experiments (experiment_id, arms, `timestamp`)
                VALUES ('minimal', ARRAY[ROW('a', CAST(NULL AS DOUBLE)), ROW('b', CAST(NULL AS DOUBLE))],
                        TIMESTAMP '2026-11-23 11:00:00')""").await();

        List<String> lines = TableFiles.lines(dir.resolve("liftstream.experiments"));
        assertThat(lines).hasSize(2);
        JsonNode full = lines.stream().map(CatalogDdlITCase::json).filter(j -> j.get("experiment_id").asText()
                .equals("cart-recovery")).findFirst().orElseThrow();
        // Field names and order as the definition JSON; the analysis object as the contract's.
        assertThat(fields(full)).containsExactly("experiment_id", "status", "trigger", "placement", "arms", "policy",
                "coverage", "hash_version", "seed", "namespace", "holdout_pct", "reward", "frequency_cap",
                "min_arm_share", "burn_in", "analysis", "timestamp");
        assertThat(full.get("analysis")).isEqualTo(json("""
                {"method":"gst","alpha":0.01,"relative":false,"sides":"greater","sequential_tuning":4000.0,
                 "msprt_tau2":4.0E-4,"gst_max_n":100000,"control":"control",
                 "primary":{"name":"conversion","event":"Order Completed","value":"conversion","window":"P1D","desired":"increase"},
                 "guardrails":[{"name":"refunds","event":"Order Refunded","value":"conversion","window":"P7D","desired":"decrease"}]}"""));
        assertThat(full.get("timestamp").asText()).isEqualTo("2026-11-23T10:00:00Z");

        // ExperimentDefinitionJson reads the whole line, the analysis object included.
        ExperimentDefinition d = ExperimentDefinitionJson.parse(full);
        assertThat(d.analysis().method()).isEqualTo(io.liftstream.experiments.stats.Method.GST);
        assertThat(d.analysis().alpha()).isEqualTo(0.01);
        assertThat(d.analysis().gstMaxN()).isEqualTo(100_000);
        assertThat(d.analysis().primary().event()).isEqualTo("Order Completed");
        assertThat(d.analysis().guardrails()).singleElement()
                .satisfies(g -> assertThat(g.event()).isEqualTo("Order Refunded"));
        assertThat(d).isEqualTo(ExperimentDefinition.builder("cart-recovery")
                .status(ExperimentStatus.PAUSED).trigger("cart_abandoned")
                .arms(List.of(new Arm("control", 0.2), new Arm("discount", 0.3), new Arm("free_shipping", 0.5)))
                .policy(PolicyType.TOP_TWO).coverage(0.8).hashVersion(HashVersion.V2).seed("s1")
                .namespace(new Namespace("checkout", 0, 0.5)).holdoutPct(5)
                .reward(new RewardSpec("Order Completed", "revenue", Duration.ofHours(24)))
                .frequencyCap(new FrequencyCap(3, Duration.ofDays(1))).minArmShare(0.02).burnIn(50)
                .timestamp(Instant.parse("2026-11-23T10:00:00Z")).analysis(d.analysis()).build());

        // A definition with only the required columns: every NULL is written as null and means the default.
        String minimal = lines.stream().filter(l -> l.contains("\"minimal\"")).findFirst().orElseThrow();
        assertThat(minimal).contains("\"analysis\":null", "\"namespace\":null", "\"policy\":null");
        assertThat(ExperimentDefinitionJson.parse(minimal)).isEqualTo(ExperimentDefinition.builder("minimal")
                .arms("a", "b").timestamp(Instant.parse("2026-11-23T11:00:00Z")).build());
    }

    @Test
    void experimentsLatestIsTheVersionInForce() throws Exception {
        topic("liftstream.experiments", List.of(
                "{\"experiment_id\":\"e\",\"status\":\"running\",\"arms\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"timestamp\":\"2026-11-23T10:00:00Z\"}",
                "{\"experiment_id\":\"e\",\"status\":\"stopped\",\"arms\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"timestamp\":\"2026-11-23T12:00:00Z\"}",
                "{\"experiment_id\":\"e\",\"status\":\"paused\",\"arms\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"timestamp\":\"2026-11-23T11:00:00Z\"}",
                "{\"experiment_id\":\"f\",\"status\":\"running\",\"arms\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"timestamp\":\"2026-11-23T09:00:00Z\"}"));
        assertThat(query("SELECT experiment_id, status FROM experiments_latest ORDER BY experiment_id"))
                .extracting(Row::toString).containsExactly("+I[e, stopped]", "+I[f, running]");
        assertThat(query("SELECT COUNT(*) FROM experiment_versions")).extracting(Row::toString).containsExactly("+I[4]");
    }

    /**
     * The results job's record: the analyze JSON plus its own fields. The shape of holdout, srm and
     * recommendation may still change, so those columns hold JSON text; unknown fields are ignored.
     */
    @Test
    void experimentResultsTableReadsResultRecordsTolerantly() throws Exception {
        topic("liftstream.experiment-results", List.of(
                "{\"experiment_id\":\"cart-recovery\",\"as_of\":\"2026-11-20T12:00:00.000Z\",\"id\":\"cart-recovery\","
                        + "\"status\":\"ok\",\"error\":null,\"srm_p_value\":0.5,\"sequential_srm_p_value\":1.0,"
                        + "\"arms\":[{\"name\":\"control\",\"n\":1000,\"mean\":0.1,\"variance\":0.09},"
                        + "{\"name\":\"discount\",\"n\":990,\"mean\":0.13,\"variance\":0.1131}],"
                        + "\"comparisons\":[{\"arm\":\"discount\",\"expected\":0.3,\"se\":0.1,\"ci_lower\":-0.02,"
                        + "\"ci_upper\":0.62,\"p_value\":0.2,\"p_value_adjusted\":0.2,\"chance_to_win\":null,\"risk\":null,"
                        + "\"significant\":false,\"status\":\"relative_lift_unreliable\",\"absolute\":null}],"
                        + "\"exposure_conflicts\":4,\"phase\":2,\"phases_combined\":2,"
                        + "\"holdout\":{\"n\":100,\"mean\":0.08,\"p_value\":0.6},\"srm\":{\"p_value\":1.0,\"mismatch\":false},"
                        + "\"recommendation\":\"continue\",\"reason\":\"no arm is significantly better yet\","
                        + "\"a_field_added_later\":{\"x\":1}}",
                "{\"experiment_id\":\"other\",\"as_of\":\"2026-11-20T13:00:00.000Z\","
                        + "\"recommendation\":{\"action\":\"ship\",\"arm\":\"b\"},\"exposure_conflicts\":\"not a number\"}"));
        List<Row> rows = query("SELECT experiment_id, as_of, comparisons[1].arm, comparisons[1].p_value, arms[2].n, "
                + "comparisons[1].status, exposure_conflicts, phase, phases_combined, "
                + "JSON_VALUE(holdout, '$.p_value' RETURNING DOUBLE), "
                + "JSON_VALUE(srm, '$.mismatch'), recommendation, reason FROM experiment_results ORDER BY as_of");
        assertThat(rows).extracting(Row::toString).containsExactly(
                "+I[cart-recovery, 2026-11-20T12:00:00Z, discount, 0.2, 990, relative_lift_unreliable, 4, 2, 2, 0.6, false, continue, "
                        + "no arm is significantly better yet]",
                "+I[other, 2026-11-20T13:00:00Z, null, null, null, null, null, null, null, null, null, {\"action\":\"ship\",\"arm\":\"b\"}, null]");
    }

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> fields(JsonNode o) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
