package io.liftstream.jobs.sql;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What stores the catalog's streams. The DDL in {@code sql/catalog} declares every stream as a
 * Kafka topic; a backing rewrites the connector options of each {@code kafka} and
 * {@code upsert-kafka} table, keeping its schema:
 *
 * <ul>
 *   <li>{@link #files(Path)} (the embedded default): each topic becomes a directory
 *       {@code <tables-dir>/<topic>} of JSON-lines files (Flink's {@code filesystem} connector, the
 *       DDL's value format and its options). Tables on the same topic share the directory, so
 *       {@code experiment_versions} reads what {@code INSERT INTO experiments} wrote. A file
 *       directory is an append-only log: an upsert table written there keeps every version.</li>
 *   <li>{@link #kafka(String)}: the DDL's topics on the given brokers. In batch mode every
 *       Kafka source reads up to the offsets that are latest when the query starts
 *       ({@code scan.bounded.mode = latest-offset}), so a batch query over a topic ends. Every
 *       Kafka table reads {@code read_committed} unless its DDL says otherwise: the jobs and
 *       {@code INSERT}s write in transactions, and an aborted record must not be counted.</li>
 * </ul>
 */
public interface TableBacking {
    Set<String> KAFKA_CONNECTORS = Set.of("kafka", "upsert-kafka");

    /** The options replacing a Kafka table's options. */
    Map<String, String> options(String table, Map<String, String> ddl, boolean batch);

    /** A one-line description for the command's log. */
    String describe();

    static TableBacking files(Path tablesDir) {
        return new TableBacking() {
            @Override
            public Map<String, String> options(String table, Map<String, String> ddl, boolean batch) {
                String topic = ddl.getOrDefault("topic", table);
                Path dir = tablesDir.resolve(topic).toAbsolutePath();
                try {
                    Files.createDirectories(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the table directory " + dir, e);
                }
                String format = ddl.containsKey("format") ? ddl.get("format") : ddl.get("value.format");
                Map<String, String> out = new LinkedHashMap<>();
                out.put("connector", "filesystem");
                out.put("path", dir.toUri().toString());
                out.put("format", format);
                ddl.forEach((k, v) -> {
                    if (k.startsWith(format + ".")) {
                        out.put(k, v);
                    } else if (k.startsWith("value." + format + ".")) {
                        out.put(k.substring("value.".length()), v);
                    }
                });
                return out;
            }

            @Override
            public String describe() {
                return "tables are JSON-lines directories under " + tablesDir.toAbsolutePath();
            }
        };
    }

    static TableBacking kafka(String bootstrapServers) {
        return new TableBacking() {
            @Override
            public Map<String, String> options(String table, Map<String, String> ddl, boolean batch) {
                Map<String, String> out = new LinkedHashMap<>(ddl);
                out.put("properties.bootstrap.servers", bootstrapServers);
                // Exactly-once writers (the jobs, INSERTs) leave aborted records in the topics: read past them.
                out.putIfAbsent("properties.isolation.level", "read_committed");
                if (batch) {
                    out.putIfAbsent("scan.bounded.mode", "latest-offset");
                }
                return out;
            }

            @Override
            public String describe() {
                return "tables are the Kafka topics at " + bootstrapServers;
            }
        };
    }

    /** Rewrites every Kafka table of the current catalog and database with this backing; {@code batch}: the session's mode. */
    default void apply(TableEnvironment tEnv, boolean batch) {
        Catalog catalog = tEnv.getCatalog(tEnv.getCurrentCatalog()).orElseThrow();
        String database = tEnv.getCurrentDatabase();
        try {
            for (String name : catalog.listTables(database)) {
                ObjectPath path = new ObjectPath(database, name);
                CatalogBaseTable table = catalog.getTable(path);
                if (table instanceof CatalogTable t && KAFKA_CONNECTORS.contains(t.getOptions().get("connector"))) {
                    catalog.alterTable(path, t.copy(options(name, t.getOptions(), batch)), false);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot re-point the catalog's tables: " + e.getMessage(), e);
        }
    }
}
