package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.bandit.PolicyType;
import io.liftstream.jobs.experiments.ExperimentDefinitionJson;
import io.liftstream.jobs.testkit.CliRun;
import io.liftstream.jobs.testkit.TableFiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code liftstream sql} through the command line on the embedded default
 * ({@code flink-conf/embedded}): the catalog is loaded, tables are JSON-lines directories, query
 * results print as a table, INSERTs finish before the next statement, variables from {@code --set},
 * and a failing statement names its file, line and column with the planner's message, stops the
 * script and exits 1.
 */
class SqlCommandITCase {
    @TempDir Path dir;

    private CliRun sql(String script, String... extra) throws Exception {
        Path file = dir.resolve("script.sql");
        Files.writeString(file, script);
        List<String> args = new ArrayList<>(List.of("sql", "-f", file.toString(), "--tables-dir", dir.resolve("tables").toString()));
        args.addAll(CliRun.embedded(dir));
        args.addAll(List.of(extra));
        return CliRun.of(args);
    }

    @Test
    void insertsThenPrintsTheQueryAsATable() throws Exception {
        CliRun run = sql("""
                -- define an experiment, then read it back
                INSERT INTO experiments (experiment_id, status, arms, policy, `timestamp`)
                VALUES ('${id}', 'paused', ARRAY[ROW('a', 0.5), ROW('b', 0.5)], 'thompson', TIMESTAMP '2026-11-20 10:00:00');

                SELECT experiment_id, status, policy, CARDINALITY(arms) AS arms, `timestamp`
                FROM experiments_latest;
                """, "--set", "id=checkout-banner");
        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out.lines().toList()).containsExactly(
                "+-----------------+--------+----------+------+-------------------------+",
                "|   experiment_id | status |   policy | arms |               timestamp |",
                "+-----------------+--------+----------+------+-------------------------+",
                "| checkout-banner | paused | thompson |    2 | 2026-11-20 10:00:00.000 |",
                "+-----------------+--------+----------+------+-------------------------+",
                "1 row in set");
        assertThat(run.err).contains("[line 2] INSERT finished");
        List<String> lines = TableFiles.lines(dir.resolve("tables/liftstream.experiments"));
        assertThat(lines).hasSize(1);
        ExperimentDefinition d = ExperimentDefinitionJson.parse(lines.get(0));
        assertThat(d.experimentId()).isEqualTo("checkout-banner");
        assertThat(d.status()).isEqualTo(ExperimentStatus.PAUSED);
        assertThat(d.policy()).isEqualTo(PolicyType.THOMPSON);
        assertThat(d.timestamp()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
    }

    @Test
    void aFailingStatementNamesItsLineAndStopsTheScript() throws Exception {
        CliRun run = sql("""
                -- line 1
                CREATE TEMPORARY VIEW v AS SELECT 1 AS x;

                SELECT x,
                       nope
                FROM v;
                INSERT INTO experiments (experiment_id, arms) VALUES ('never', ARRAY[ROW('a', 0.5), ROW('b', 0.5)]);
                """);
        assertThat(run.exitCode).isEqualTo(1);
        Path script = dir.resolve("script.sql");
        assertThat(run.err).contains("liftstream sql: " + script + ":5:8: SQL validation failed. "
                + "From line 2, column 8 to line 2, column 11: Column 'nope' not found in any table");
        assertThat(run.err).contains("stopped at " + script + ":5");
        assertThat(run.out).isEmpty();
        assertThat(TableFiles.lines(dir.resolve("tables/liftstream.experiments"))).isEmpty(); // the INSERT never ran
    }

    @Test
    void aParseErrorNamesItsLine() throws Exception {
        CliRun run = sql("SELECT 1;\n\n  SELEC 2;\nSELECT 3;\n");
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).contains("script.sql:3:3: SQL parse failed.").doesNotContain("Was expecting");
        assertThat(run.out).contains("1 row in set").doesNotContain("| 3 |");
    }

    @Test
    void anUndefinedVariableAndALateRuntimeModeChangeAreErrorsAtTheirLine() throws Exception {
        CliRun undefined = sql("SELECT 1;\nSELECT '${nobody}';\n");
        assertThat(undefined.exitCode).isEqualTo(1);
        assertThat(undefined.err).contains("script.sql:2:1: undefined variable ${nobody}");

        CliRun late = sql("SET 'table.exec.resource.default-parallelism' = '1';\nSELECT 1;\nSET 'execution.runtime-mode' = 'streaming';\n");
        assertThat(late.exitCode).isEqualTo(1);
        assertThat(late.err).contains("script.sql:3:1: execution.runtime-mode can only be set before the first statement");
    }

    @Test
    void aLeadingSetChoosesStreamingModeWhereResultsPrintAsAChangelog() throws Exception {
        CliRun run = sql("SET 'execution.runtime-mode' = 'streaming';\nSELECT COUNT(*) AS n FROM (VALUES (1), (2)) AS t(x);\n");
        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out).contains("| op |").contains("| +I |").contains("| -U |").contains("| +U |");
    }
}
