package io.liftstream.jobs.sql;

import io.liftstream.jobs.sql.functions.LiftstreamFunctions;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.table.api.internal.TableResultInternal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.utils.print.PrintStyle;
import org.apache.flink.util.CloseableIterator;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs SQL scripts the way {@code ./liftstream sql} does: a {@link TableEnvironment} configured from
 * the Flink configuration, with the Liftstream functions registered and the catalog of
 * {@code sql/catalog} loaded and re-pointed at its {@link TableBacking}; then the statements one by
 * one. {@code SELECT} and {@code SHOW}/{@code DESCRIBE} results print as a table; {@code INSERT}s
 * wait for their job to finish; the first failing statement stops the script with a
 * {@link SqlStatementException} naming its file and line.
 *
 * <p>{@code SET 'key' = 'value'} statements before the first other statement configure the
 * environment itself (for example {@code execution.runtime-mode}); later ones change the session's
 * table configuration. {@code RESET 'key'} removes a session setting.
 *
 * <p>Defaults differing from Flink's: {@code execution.runtime-mode} is {@code batch} (scripts
 * over the catalog's streams end, and results print once, final) and {@code table.local-time-zone}
 * is {@code UTC} (timestamps print and parse as the streams' ISO-8601 UTC instants).
 */
public final class SqlSession {
    private static final Pattern SET = Pattern.compile("^SET\\s*(?:'([^']*)'\\s*=\\s*'((?:[^']|'')*)')?\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern RESET = Pattern.compile("^RESET\\s*(?:'([^']*)')?\\s*$", Pattern.CASE_INSENSITIVE);
    /** Statements whose result is a table to print. */
    private static final List<String> QUERIES = List.of("SELECT", "WITH", "VALUES", "SHOW", "DESCRIBE", "DESC", "EXPLAIN");

    /** Where the catalog's tables live and where the catalog comes from. */
    public record Options(TableBacking backing, Path catalogDir) {}

    private final Configuration conf;
    private final Options options;
    private final Map<String, String> variables;
    private final PrintWriter out;
    private final PrintWriter log;
    private TableEnvironment tEnv;

    public SqlSession(Configuration conf, Options options, Map<String, String> variables, PrintWriter out, PrintWriter log) {
        this.conf = new Configuration(conf);
        this.options = options;
        this.variables = new LinkedHashMap<>(variables);
        this.out = out;
        this.log = log;
    }

    /** The configuration the {@code sql} command starts from: Flink's, with this class's defaults. */
    public static Configuration withDefaults(Configuration conf) {
        Configuration c = new Configuration(conf);
        if (!c.contains(ExecutionOptions.RUNTIME_MODE)) {
            c.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        }
        if (!c.contains(TableConfigOptions.LOCAL_TIME_ZONE)) {
            c.set(TableConfigOptions.LOCAL_TIME_ZONE, "UTC");
        }
        return c;
    }

    /** The environment, created (with the catalog) on first use. */
    public TableEnvironment tableEnvironment() {
        if (tEnv == null) {
            tEnv = TableEnvironment.create(EnvironmentSettings.newInstance().withConfiguration(conf).build());
            LiftstreamFunctions.register(tEnv);
            CatalogDdl.load(tEnv, options.catalogDir(), options.backing(), batch());
        }
        return tEnv;
    }

    public boolean batch() {
        return conf.get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH;
    }

    /** Runs a script file; {@code name} is how errors name it. */
    public void runFile(Path file, String name) throws java.io.IOException {
        run(SqlScript.read(file), name);
    }

    public void run(List<SqlScript.Statement> statements, String name) {
        for (SqlScript.Statement raw : statements) {
            SqlScript.Statement s;
            try {
                s = SqlScript.substitute(raw, variables);
            } catch (SqlScript.ScriptException e) {
                throw SqlStatementException.at(name, e.line, 1, e);
            }
            try {
                execute(s);
            } catch (SqlStatementException e) {
                throw e;
            } catch (Exception e) {
                throw SqlStatementException.of(name, s, e);
            }
        }
    }

    private void execute(SqlScript.Statement s) throws Exception {
        String keyword = s.keyword();
        Matcher set = SET.matcher(s.sql());
        if (keyword.equals("SET") && set.matches()) {
            set(set.group(1), set.group(2) == null ? null : set.group(2).replace("''", "'"));
            return;
        }
        Matcher reset = RESET.matcher(s.sql());
        if (keyword.equals("RESET") && reset.matches()) {
            reset(reset.group(1));
            return;
        }
        TableEnvironment env = tableEnvironment();
        if (QUERIES.contains(keyword)) {
            TableResult result = env.executeSql(s.sql());
            print(result);
            return;
        }
        TableResult result = env.executeSql(s.sql());
        Optional<org.apache.flink.core.execution.JobClient> job = result.getJobClient();
        if (job.isPresent()) {
            long start = System.nanoTime();
            result.await();
            log.printf("[line %d] %s finished: job %s, %.1f s%n", s.line(), keyword, job.get().getJobID(),
                    (System.nanoTime() - start) / 1e9);
            log.flush();
        } else if (result.getResultKind() == ResultKind.SUCCESS_WITH_CONTENT) {
            print(result);
        }
    }

    private void set(String key, String value) {
        if (key == null) {
            Map<String, String> all = new java.util.TreeMap<>(tEnv == null ? conf.toMap() : tEnv.getConfig().getConfiguration().toMap());
            all.forEach((k, v) -> out.println("'" + k + "' = '" + v + "'"));
            out.flush();
            return;
        }
        if (tEnv == null) {
            conf.setString(key, value);
            return;
        }
        if (key.equals(ExecutionOptions.RUNTIME_MODE.key())
                && !value.toUpperCase(Locale.ROOT).equals(conf.get(ExecutionOptions.RUNTIME_MODE).name())) {
            throw new IllegalArgumentException("execution.runtime-mode can only be set before the first statement that "
                    + "is not a SET (or with --set): the session already runs in " + conf.get(ExecutionOptions.RUNTIME_MODE)
                    .name().toLowerCase(Locale.ROOT) + " mode");
        }
        tEnv.getConfig().set(key, value);
    }

    private void reset(String key) {
        if (key == null) {
            throw new IllegalArgumentException("RESET needs a key: RESET 'key'");
        }
        if (tEnv == null) {
            conf.removeKey(key);
        } else {
            tEnv.getConfig().getConfiguration().removeKey(key);
        }
    }

    private void print(TableResult result) throws Exception {
        int maxWidth = tableEnvironment().getConfig().getConfiguration().getOptional(
                org.apache.flink.configuration.ConfigOptions.key("sql-client.display.max-column-width").intType()
                        .defaultValue(PrintStyle.DEFAULT_MAX_COLUMN_WIDTH)).orElse(PrintStyle.DEFAULT_MAX_COLUMN_WIDTH);
        if (result instanceof TableResultInternal internal) {
            boolean changelog = !batch() && result.getJobClient().isPresent();
            try (CloseableIterator<RowData> rows = internal.collectInternal()) {
                PrintStyle style = changelog
                        ? PrintStyle.tableauWithTypeInferredColumnWidths(result.getResolvedSchema(),
                                internal.getRowDataToStringConverter(), maxWidth, false, true)
                        : PrintStyle.tableauWithDataInferredColumnWidths(result.getResolvedSchema(),
                                internal.getRowDataToStringConverter(), maxWidth, false, false);
                style.print(rows, out);
            }
        } else {
            try (CloseableIterator<org.apache.flink.types.Row> rows = result.collect()) {
                rows.forEachRemaining(out::println);
            }
        }
        out.flush();
    }
}
