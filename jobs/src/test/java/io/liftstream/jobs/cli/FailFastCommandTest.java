package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.testkit.CliRun;
import io.liftstream.triggers.TriggerOptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 14, "Fail fast, in one line" and "Never destroy input", through the command line: each
 * mistake is one line on stderr (no stack trace), exit code 2, no job started, and every file the
 * command was given is byte-identical afterwards.
 */
class FailFastCommandTest {
    private static final String EVENT = "{\"type\":\"track\",\"event\":\"Product Viewed\",\"userId\":\"u1\","
            + "\"messageId\":\"m1\",\"timestamp\":\"2024-01-01T00:00:00Z\"}\n";

    @TempDir Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static CliRun run(String... args) {
        return CliRun.of(List.of(args));
    }

    /** Exit code 2 and exactly {@code line} on stderr: one line, so no stack trace. */
    private static void refused(CliRun run, String line) {
        assertThat(run.err).isEqualTo(line + "\n");
        assertThat(run.exitCode).isEqualTo(2);
    }

    private static void refusedContaining(CliRun run, String... parts) {
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err.lines().count()).as(run.err).isEqualTo(1);
        assertThat(run.err).contains(parts).doesNotContain("\tat ");
    }

    // ---- Fail fast: paths ----

    @Test
    void triggersWithAMissingInputIsOneLine() {
        Path missing = dir.resolve("missing.jsonl");
        refused(run("triggers", "--input", missing.toString(), "--output", dir.resolve("o.jsonl").toString()),
                "liftstream: --input " + missing + ": no such file or directory");
        assertThat(dir.resolve("o.jsonl")).doesNotExist();
    }

    @Test
    void resultsWithAMissingInputIsOneLine() throws IOException {
        Path d = file("decisions.jsonl", "");
        Path e = file("events", "");
        Files.delete(e);
        refused(run("results", "--decisions", d.toString(), "--events", e.toString(), "--experiments", d.toString(),
                        "--output", dir.resolve("r.jsonl").toString()),
                "liftstream: --events " + e + ": no such file or directory");
    }

    @Test
    void anOutputThatIsADirectoryIsRefused() throws IOException {
        Path in = file("in.jsonl", EVENT);
        Path out = Files.createDirectories(dir.resolve("out"));
        refused(run("triggers", "--input", in.toString(), "--output", out.toString()),
                "liftstream: --output " + out + ": is a directory; give a file name");
        refused(run("analyze", "--input", in.toString(), "--output", out.toString()),
                "liftstream: --output " + out + ": is a directory; give a file name");
    }

    @Test
    void anOutputDirectoryThatCannotBeCreatedIsRefused() throws IOException {
        Path in = file("in.jsonl", EVENT);
        Path blocker = file("blocker", "a file where a directory should be");
        Path out = blocker.resolve("sub").resolve("o.jsonl");
        refused(run("triggers", "--input", in.toString(), "--output", out.toString()),
                "liftstream: --output " + out + ": cannot be created: " + blocker + " is a file, not a directory");
        refused(run("demo", "--output", blocker.toString()), "liftstream: --output " + blocker + ": is a file; give a directory");
    }

    @Test
    void demoWithAMissingExperimentSqlIsOneLine() {
        Path sql = dir.resolve("nope.sql");
        refused(run("demo", "--experiment-sql", sql.toString(), "--output", dir.resolve("demo").toString()),
                "liftstream: --experiment-sql " + sql + ": no such file");
        assertThat(dir.resolve("demo")).doesNotExist();
    }

    @Test
    void assignConvertAndSqlCheckTheirPaths() throws IOException {
        Path exp = file("exp.json", "{\"experiment_id\": \"x\", \"arms\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}");
        Path users = Files.createDirectories(dir.resolve("users"));
        refused(run("assign", "--experiment", exp.toString(), "--users", users.toString()),
                "liftstream: --users " + users + ": is a directory, not a file");
        refused(run("convert", "taobao", "--input", dir.resolve("UserBehavior.csv").toString(), "--output", dir.resolve("o").toString()),
                "liftstream: --input " + dir.resolve("UserBehavior.csv") + ": no such file");
        refused(run("sql", "-f", dir.resolve("q.sql").toString()), "liftstream: --file " + dir.resolve("q.sql") + ": no such file");
    }

    // ---- Never destroy input ----

    @Test
    void analyzeRefusesToWriteOverItsInput() throws IOException {
        String content = "{\"id\":\"a\",\"method\":\"fixed\"}\n{\"id\":\"b\"}\n";
        Path f = file("f.jsonl", content);
        refused(run("analyze", "--input", f.toString(), "--output", f.toString()),
                "liftstream: --output " + f + ": is also --input: refusing to overwrite an input");
        assertThat(Files.readString(f)).isEqualTo(content);
        // Another spelling of the same file is the same file.
        Path other = dir.resolve("sub").resolve("..").resolve("f.jsonl");
        Files.createDirectories(dir.resolve("sub"));
        refusedContaining(run("analyze", "--input", f.toString(), "--output", other.toString()), "is also --input");
        assertThat(Files.readString(f)).isEqualTo(content);
    }

    @Test
    void assignRefusesToWriteOverItsUsers() throws IOException {
        Path exp = file("exp.json", "{\"experiment_id\": \"x\", \"arms\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}");
        Path users = file("users.txt", "u1\nu2\n");
        refused(run("assign", "--experiment", exp.toString(), "--users", users.toString(), "--output", users.toString()),
                "liftstream: --output " + users + ": is also --users: refusing to overwrite an input");
        assertThat(Files.readString(users)).isEqualTo("u1\nu2\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), exp);
        refusedContaining(run("assign", "--experiment", exp.toString(), "--users", users.toString(), "--output", link.toString()),
                "is also --experiment");
        assertThat(Files.readString(exp)).startsWith("{\"experiment_id\"");
    }

    @Test
    void triggersAndConvertRefuseToWriteOverTheirInput() throws IOException {
        Path f = file("events.jsonl", EVENT);
        refused(run("triggers", "--input", f.toString(), "--output", f.toString()),
                "liftstream: --output " + f + ": is also --input: refusing to overwrite an input");
        Path late = dir.resolve("late.jsonl");
        refusedContaining(run("triggers", "--input", f.toString(), "--output", dir.resolve("t.jsonl").toString(), "--late", f.toString()),
                "--late " + f + ": is also --input");
        Path csv = file("ub.csv", "1,2,3,pv,1511544070\n");
        refused(run("convert", "taobao", "--input", csv.toString(), "--output", csv.toString()),
                "liftstream: --output " + csv + ": is also --input: refusing to overwrite an input");
        assertThat(Files.readString(f)).isEqualTo(EVENT);
        assertThat(Files.readString(csv)).isEqualTo("1,2,3,pv,1511544070\n");
        assertThat(late).doesNotExist();
    }

    @Test
    void outputsOfOneRunMustDiffer() throws IOException {
        Path in = file("in.jsonl", EVENT);
        String kept = "29 lines of an earlier run\n";
        Path o = file("o.jsonl", kept);
        refused(run("triggers", "--input", in.toString(), "--output", o.toString(), "--dead-letter", o.toString(), "--late", o.toString()),
                "liftstream: --dead-letter " + o + ": is also --output: give each output its own file");
        assertThat(Files.readString(o)).isEqualTo(kept);
        // The default dead-letter file (<output>.dead-letters.jsonl) counts too.
        Path t = dir.resolve("t.jsonl");
        Path defaultDead = dir.resolve("t.dead-letters.jsonl");
        refused(run("triggers", "--input", in.toString(), "--output", t.toString(), "--late", defaultDead.toString()),
                "liftstream: --late " + defaultDead + ": is also --dead-letter (default): give each output its own file");
        assertThat(t).doesNotExist();
    }

    @Test
    void anOutputInsideAnInputDirectoryIsRefused() throws IOException {
        Path in = file("in/a.jsonl", EVENT);
        Path out = in.resolveSibling("triggers.jsonl");
        refused(run("triggers", "--input", in.getParent().toString(), "--output", out.toString()),
                "liftstream: --output " + out + ": is inside the --input directory " + in.getParent()
                        + ": it would be read as input; write it elsewhere");
    }

    @Test
    void convertTaobaoDeadLettersTimestampsOutside1990To2200() throws IOException {
        Path csv = file("ub.csv", "1,2,3,pv,1511544070\n2,2,3,cart,1511544070000\n3,2,3,buy,-5\n4,5,6,fav,1511544071\n");
        Path out = dir.resolve("t.jsonl");
        CliRun run = run("convert", "taobao", "--input", csv.toString(), "--output", out.toString());
        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out).contains("events:         2 (2 users)", "dead-lettered:  2 rows with a timestamp outside 1990..2200");
        assertThat(Files.readAllLines(out)).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"timestamp\":\"2017-11-24T17:21:1"));
        assertThat(Files.readAllLines(dir.resolve("t.dead-letters.jsonl"))).containsExactly(
                "{\"reason\":\"timestamp_out_of_range: line 2: timestamp 1511544070000 is outside 1990..2200 in epoch seconds "
                        + "(milliseconds?)\",\"line\":\"2,2,3,cart,1511544070000\"}",
                "{\"reason\":\"timestamp_out_of_range: line 3: timestamp -5 is outside 1990..2200 in epoch seconds\","
                        + "\"line\":\"3,2,3,buy,-5\"}");
    }

    @Test
    void convertTaobaoNamesAMalformedRowInOneLine() throws IOException {
        Path csv = file("ub.csv", "1,2,3,pv,1511544070\n2,2,3,cart\n");
        Path out = dir.resolve("t.jsonl");
        refused(run("convert", "taobao", "--input", csv.toString(), "--output", out.toString()),
                "liftstream: " + csv + ": line 2: expected 5 fields (" + io.liftstream.jobs.datasets.TaobaoConverter.HEADER
                        + "), got 4: 2,2,3,cart");
        assertThat(out).doesNotExist();
    }

    // ---- Configuration keys ----

    @Test
    void aMisspeltKeyIsRefusedWithTheClosestKey() throws IOException {
        Path in = file("in.jsonl", EVENT);
        refused(run("triggers", "--input", in.toString(), "--output", dir.resolve("o.jsonl").toString(),
                        "-D", "liftstream.triggers.cart-abandoned.timout=10min"),
                "liftstream: unknown option liftstream.triggers.cart-abandoned.timout (-D); "
                        + "did you mean liftstream.triggers.cart-abandoned.timeout?");
    }

    @Test
    void aMisspeltKeyInConfigYamlIsRefused() throws IOException {
        Path conf = file("conf/config.yaml", "parallelism.default: 1\nliftstream.decide.posterior-intervall: 5s\n");
        Path in = file("in.jsonl", EVENT);
        refused(run("triggers", "--flink-conf", conf.getParent().toString(), "--input", in.toString(),
                        "--output", dir.resolve("o.jsonl").toString()),
                "liftstream: unknown option liftstream.decide.posterior-intervall (in " + conf + "); "
                        + "did you mean liftstream.decide.posterior-interval?");
    }

    @Test
    void everyDeclaredKeyIsKnownAndOthersFlinkKeysPass() {
        assertThat(ConfigKeys.isKnown(TriggerOptions.CART_ABANDONED_TIMEOUT.key())).isTrue();
        assertThat(ConfigKeys.isKnown("liftstream.triggers.dense-engine")).isTrue(); // deprecated, still honoured
        assertThat(ConfigKeys.isKnown(SqlCommand.TABLES_DIR)).isTrue();
        assertThat(ConfigKeys.isKnown("parallelism.default")).isTrue();
        assertThat(ConfigKeys.editDistance("timout", "timeout")).isEqualTo(1);
        assertThat(ConfigKeys.editDistance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void enabledTriggersTakeCommasAsWellAsSemicolons() throws IOException {
        Path in = file("in.jsonl", EVENT);
        // The list is split at the comma: the unknown trigger is named on its own.
        refusedContaining(run("triggers", "--input", in.toString(), "--output", dir.resolve("o.jsonl").toString(),
                "-D", "liftstream.triggers.enabled=cart_abandoned,basket_forgotten"), "unknown trigger 'basket_forgotten'");
        FlinkOptions options = new FlinkOptions();
        options.flinkConf = null;
        options.overrides.put(TriggerOptions.ENABLED.key(), "cart_abandoned,engagement_spike");
        assertThat(options.configuration().get(TriggerOptions.ENABLED)).containsExactly("cart_abandoned", "engagement_spike");
        options.overrides.put(TriggerOptions.ENABLED.key(), "cart_abandoned;engagement_spike");
        assertThat(options.configuration().get(TriggerOptions.ENABLED)).containsExactly("cart_abandoned", "engagement_spike");
    }

    // ---- Option values ----

    @Test
    void invalidOptionValuesAreRefused() {
        refused(run("demo", "--samples", "-1"),
                "liftstream: Invalid value for option '--samples': must be 0 or more, was -1 (see liftstream demo --help)");
        refused(run("results", "--bootstrap-servers", "127.0.0.1:1", "--starting-offsets", "bogus"),
                "liftstream: Invalid value for option '--starting-offsets': must be earliest, latest or committed, was 'bogus' "
                        + "(see liftstream results --help)");
        refused(run("simulate", "aa", "--method", "sequential", "--experiments", "2000000000"),
                "liftstream: --experiments 2000000000 x --looks 50 = 100,000,000,000 analysed looks would run for hours; "
                        + "at most 10,000,000 per run");
        refused(run("simulate", "aa", "--method", "sequential", "--experiments", "0"),
                "liftstream: Invalid value for option '--experiments': must be 1 or more, was 0 (see liftstream simulate aa --help)");
    }

    @Test
    void anUnknownOptionSuggestsTheClosestInOneLine() {
        refused(run("triggers", "--inptu", "x"),
                "liftstream: Unknown options: '--inptu', 'x'; did you mean --instance-id or --input or --input-topic? (see liftstream triggers --help)");
    }

    // ---- Kafka ----

    @Test
    void aBoundedRunAgainstNoBrokerFailsWithinTheConnectTimeout() {
        List<String> args = new ArrayList<>(List.of("triggers", "--bootstrap-servers", "127.0.0.1:1", "--bounded",
                "--output", dir.resolve("o.jsonl").toString(), "-D", "liftstream.kafka.connect-timeout=2s"));
        refused(CliRun.of(args), "liftstream: --bootstrap-servers 127.0.0.1:1: no Kafka broker answered within 2 s "
                + "(liftstream.kafka.connect-timeout)");
    }

    @Test
    void aFileReplayIntoKafkaIsBoundedToo() throws IOException {
        Path in = file("in.jsonl", EVENT);
        refused(run("triggers", "--input", in.toString(), "--bootstrap-servers", "127.0.0.1:1",
                        "-D", "liftstream.kafka.connect-timeout=1s", "-D", "execution.checkpointing.interval=1s"),
                "liftstream: --bootstrap-servers 127.0.0.1:1: no Kafka broker answered within 1 s (liftstream.kafka.connect-timeout)");
    }
}
