package io.liftstream.jobs.sql;

import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.testkit.SegmentLines;
import io.liftstream.triggers.CartLine;
import io.liftstream.triggers.TriggerContext;
import io.liftstream.triggers.TriggerRecord;
import io.liftstream.triggers.TriggerType;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog DDL in {@code sql/catalog} is valid Flink SQL and reads exactly the JSON the jobs
 * write: each table is re-pointed at a file (same schema, filesystem connector) holding lines
 * produced by the jobs' own serializers.
 */
class CatalogDdlITCase {
    private static final Path CATALOG = Path.of("..", "sql", "catalog");

    @TempDir Path dir;
    private TableEnvironment tEnv;

    @BeforeEach
    void createCatalog() throws Exception {
        tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        try (var files = Files.list(CATALOG)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                for (String statement : statements(Files.readString(file))) {
                    tEnv.executeSql(statement);
                }
            }
        }
    }

    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.trim().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.trim().endsWith(";")) {
                String s = current.toString().trim();
                out.add(s.substring(0, s.length() - 1));
                current.setLength(0);
            }
        }
        return out;
    }

    private void fileCopy(String table, List<String> lines) throws Exception {
        Path data = dir.resolve(table);
        Files.createDirectories(data);
        Files.write(data.resolve("part-0.json"), lines, StandardCharsets.UTF_8);
        tEnv.executeSql("CREATE TABLE " + table + "_file WITH ('connector' = 'filesystem', 'path' = '"
                + data.toUri() + "', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601') LIKE "
                + table + " (EXCLUDING OPTIONS)");
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
        fileCopy("triggers", List.of(JsonLines.trigger(r)));

        List<Row> rows = query("SELECT trigger_id, `trigger`, user_id, event_time, detected_at, context.item_count, "
                + "context.`value`, context.items[1].product_id, context.items[1].quantity, context.first_added_at, "
                + "context.view_count FROM triggers_file");
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
        fileCopy("events", List.of(
                SegmentLines.productAdded("u1", T0, "p1", 19.9, 2),
                "{\"type\":\"track\",\"event\":\"Product Viewed\",\"anonymousId\":\"a1\",\"timestamp\":\"2026-11-20T10:00:05.000Z\"}"));
        List<Row> rows = query("SELECT user_id, `event`, event_time, properties.product_id, properties.price, "
                + "properties.quantity FROM events_file ORDER BY event_time");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getField(0)).isEqualTo("u1");
        assertThat(rows.get(0).getField(1)).isEqualTo("Product Added");
        assertThat(rows.get(0).getField(2)).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(rows.get(0).getField(3)).isEqualTo("p1");
        assertThat(rows.get(0).getField(4)).isEqualTo(19.9);
        assertThat(rows.get(0).getField(5)).isEqualTo(2);
        assertThat(rows.get(1).getField(0)).isEqualTo("a1");
    }
}
