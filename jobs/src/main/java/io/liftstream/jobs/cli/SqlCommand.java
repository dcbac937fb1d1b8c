package io.liftstream.jobs.cli;

import io.liftstream.jobs.sql.SqlSession;
import io.liftstream.jobs.sql.SqlStatementException;
import io.liftstream.jobs.sql.TableBacking;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code liftstream sql -f FILE}: runs a Flink SQL script, statement by statement, with the catalog
 * of {@code sql/catalog} loaded and the Liftstream statistics functions registered (see
 * {@link SqlSession}). Exit code 0 when every statement succeeded, 1 when one failed (its
 * {@code file:line:column} and the planner's message on stderr; the rest of the script is not run),
 * 2 for a usage error.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run a Flink SQL script statement by statement, with the catalog (events, triggers, decisions, "
                + "experiments, experiment_results) and the statistics functions loaded. SELECT results print as a "
                + "table; INSERTs wait for their job. Embedded default: the tables are JSON-lines directories under "
                + "--tables-dir; with --bootstrap-servers they are the Kafka topics. A failing statement prints "
                + "FILE:LINE:COLUMN and the planner's message and stops the script (exit code 1).")
public final class SqlCommand implements Callable<Integer> {
    /** Configuration key of the tables directory of the embedded default. */
    public static final String TABLES_DIR = "liftstream.sql.tables-dir";
    public static final ConfigOption<String> TABLES_DIR_OPTION = ConfigOptions.key(TABLES_DIR).stringType().noDefaultValue()
            .withDescription("Embedded default of `liftstream sql`: the directory of the tables' JSON-lines directories.");
    public static final Path DEFAULT_TABLES_DIR = Path.of(System.getProperty("java.io.tmpdir"), "liftstream", "tables");

    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, description = "The SQL script to run.")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A session option (as SET 'KEY' = 'VALUE' at the top of the script, e.g. "
                    + "execution.runtime-mode=streaming), also usable in the script as $${KEY}. Repeatable.")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Back the catalog's tables with their Kafka topics on these brokers.")
    String bootstrapServers;

    @Option(names = "--tables-dir", paramLabel = "DIR",
            description = "Embedded default: the directory holding one JSON-lines directory per topic (default: the "
                    + "option " + TABLES_DIR + " if set, else <tmp>/liftstream/tables).")
    Path tablesDir;

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "Read the catalog DDL from this directory instead of the copy in the jar (sql/catalog).")
    Path catalogDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        new PathChecks().inputFile("--file", file).inputDir("--catalog", catalogDir).outputDir("--tables-dir", tablesDir).check();
        Configuration conf = flink.configuration();
        sets.forEach(conf::setString);
        conf = SqlSession.withDefaults(conf);
        TableBacking backing = backing(conf);
        SqlSession session = new SqlSession(conf, new SqlSession.Options(backing, catalogDir), sets, out, err);
        err.println("sql: " + file + " (" + backing.describe() + ")");
        err.flush();
        try {
            session.runFile(file, file.toString());
        } catch (SqlStatementException e) {
            err.println("liftstream sql: " + e.getMessage());
            err.println("liftstream sql: stopped at " + e.file + ":" + e.line + "; the statements after it did not run");
            err.flush();
            return 1;
        }
        return 0;
    }

    private TableBacking backing(Configuration conf) {
        if (bootstrapServers != null) {
            if (tablesDir != null) {
                throw new IllegalArgumentException("--tables-dir and --bootstrap-servers exclude each other");
            }
            return TableBacking.kafka(bootstrapServers);
        }
        Path dir = tablesDir != null ? tablesDir
                : conf.getOptional(TABLES_DIR_OPTION)
                        .map(Path::of).orElse(DEFAULT_TABLES_DIR);
        return TableBacking.files(dir);
    }
}
