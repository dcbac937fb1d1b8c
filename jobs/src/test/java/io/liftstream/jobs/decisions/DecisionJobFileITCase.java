package io.liftstream.jobs.decisions;

import static io.liftstream.jobs.decisions.DecisionFixtures.HOUR;
import static io.liftstream.jobs.decisions.DecisionFixtures.MINUTE;
import static io.liftstream.jobs.decisions.DecisionFixtures.SECOND;
import static io.liftstream.jobs.decisions.DecisionFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.assignment.ExperimentAssigner;
import io.liftstream.experiments.assignment.Holdouts;
import io.liftstream.jobs.experiments.ExperimentDefinitionJson;
import io.liftstream.jobs.testkit.MiniClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The decision job end to end over generated files (3,000 users, ~12,000 requests and triggers, orders,
 * consent, suppression and deletions) on a MiniCluster with RocksDB and checkpoints: byte-identical
 * decisions on every run and at parallelism 1 and 2 (bandit included), stickiness across a weight
 * change, first assignments equal to {@code liftstream assign}, holdout shares within binomial
 * tolerance, consent, suppression, caps and deletion (final: an erased user is answered {@code consent}
 * from then on, even after an opt_in).
 */
class DecisionJobFileITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    static final int USERS = 3000;
    static final double GLOBAL_HOLDOUT = 5;
    static final long V2_AT = T0 + 60 * MINUTE;

    static final String AB_V1 = "{\"experiment_id\":\"ab\",\"arms\":[{\"name\":\"control\",\"weight\":0.5},{\"name\":\"treat\",\"weight\":0.5}],"
            + "\"holdout_pct\":10,\"frequency_cap\":{\"max\":3,\"per\":\"PT1H\"},"
            + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT30M\"},\"timestamp\":\"2026-11-20T09:00:00Z\"}";
    static final String AB_V2 = AB_V1.replace("0.5},{\"name\":\"treat\",\"weight\":0.5}", "0.2},{\"name\":\"treat\",\"weight\":0.8}")
            .replace("2026-11-20T09:00:00Z", Instant.ofEpochMilli(V2_AT).toString());
    static final String BANDIT = "{\"experiment_id\":\"recovery\",\"trigger\":\"cart_abandoned\",\"policy\":\"thompson\","
            + "\"arms\":[{\"name\":\"none\"},{\"name\":\"reminder\"},{\"name\":\"discount\"}],\"burn_in\":20,\"min_arm_share\":0.05,"
            + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT10M\"}}";
    static final String REVENUE = "{\"experiment_id\":\"upsell\",\"trigger\":\"cart_abandoned\",\"policy\":\"top_two\","
            + "\"arms\":[{\"name\":\"plain\"},{\"name\":\"bundle\"},{\"name\":\"free-shipping\"}],\"burn_in\":20,"
            + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"revenue\",\"window\":\"PT10M\"}}";
    static final String PAUSED = "{\"experiment_id\":\"paused-one\",\"status\":\"paused\",\"arms\":[{\"name\":\"a\"},{\"name\":\"b\"}]}";

    @TempDir static Path dir;
    static Path requests;
    static Path experiments;
    static Path events;
    static Path control;
    static Set<String> optedOut = new HashSet<>();
    static Set<String> optedBackIn = new HashSet<>();
    static Set<String> suppressed = new HashSet<>();
    static Set<String> deleted = new HashSet<>();
    static final long CONSENT_AT = T0 + 30 * MINUTE;
    static final long OPT_IN_AT = T0 + 90 * MINUTE;
    static final long DELETE_AT = T0 + 45 * MINUTE;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void generate() throws Exception {
        Random rnd = new Random(42);
        List<long[]> times = new ArrayList<>();
        List<String> req = new ArrayList<>();
        List<String> ev = new ArrayList<>();
        int n = 0;
        for (int u = 0; u < USERS; u++) {
            int count = 1 + rnd.nextInt(6);
            for (int i = 0; i < count; i++) {
                long t = T0 + (long) (rnd.nextDouble() * 2 * HOUR);
                times.add(new long[] {t, n});
                req.add(DecisionFixtures.request("r" + n, "u" + u, "ab", t));
                n++;
                if (rnd.nextDouble() < 0.3) {
                    ev.add(DecisionFixtures.order("u" + u, t + (long) (rnd.nextDouble() * 20 * MINUTE), 10));
                }
            }
            if (rnd.nextDouble() < 0.5) {
                long t = T0 + (long) (rnd.nextDouble() * 2 * HOUR);
                times.add(new long[] {t, n});
                req.add(DecisionFixtures.trigger("t" + n, "cart_abandoned", "u" + u, t));
                n++;
                if (rnd.nextDouble() < 0.2) {
                    ev.add(DecisionFixtures.order("u" + u, t + (long) (rnd.nextDouble() * 8 * MINUTE), Math.round(rnd.nextDouble() * 9999) / 100.0));
                }
            }
            if (u % 50 == 0) {
                long t = T0 + (long) (rnd.nextDouble() * 2 * HOUR);
                times.add(new long[] {t, n});
                req.add(DecisionFixtures.request("r" + n, "u" + u, u % 100 == 0 ? "paused-one" : "no-such-experiment", t));
                n++;
            }
        }
        // Requests in time order with up to 5 s of disorder (the watermark allows 10 s).
        times.sort(Comparator.comparingLong((long[] a) -> a[0] + (a[1] * 7919 % 5000)));
        List<String> ordered = new ArrayList<>();
        for (long[] tn : times) {
            ordered.add(req.get((int) tn[1]));
        }
        ordered.add(2000, "{\"request_id\":\"bad\",\"user_id\":\"u1\"}");
        ordered.add(4000, "not json at all");
        ordered.add(6000, DecisionFixtures.request("late-one", "u7", "ab", T0)); // an hour behind its stream
        ev.sort(Comparator.comparing(l -> json(l).get("timestamp").asText()));

        List<String> ctl = new ArrayList<>();
        for (int u = 0; u < USERS; u += 15) {
            ctl.add(DecisionFixtures.consent("u" + u, "opt_out", CONSENT_AT));
            optedOut.add("u" + u);
        }
        for (int u = 0; u < USERS; u += 37) {
            ctl.add(DecisionFixtures.suppression("u" + u, "add", CONSENT_AT));
            suppressed.add("u" + u);
        }
        for (int u = 3; u < USERS; u += 41) {
            ctl.add(DecisionFixtures.deleteUser("u" + u, DELETE_AT));
            deleted.add("u" + u);
        }
        for (int u = 0; u < USERS; u += 45) {
            ctl.add(DecisionFixtures.consent("u" + u, "opt_in", OPT_IN_AT));
            optedBackIn.add("u" + u);
        }
        ctl.add("{\"type\":\"consent\",\"user_id\":\"u9\",\"status\":\"maybe\",\"timestamp\":\"2026-11-20T11:00:00Z\"}");
        ctl.sort(Comparator.comparing(l -> json(l).path("timestamp").asText()));

        requests = write("requests.jsonl", ordered);
        events = write("events.jsonl", ev);
        control = write("control.jsonl", ctl);
        experiments = write("experiments.jsonl", List.of(AB_V1, BANDIT, REVENUE, PAUSED, AB_V2, "{\"experiment_id\":\"x\",\"arms\":[]}"));
    }

    static JsonNode json(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Path write(String name, List<String> lines) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    record Run(List<String> decisions, List<String> deadLetters, byte[] bytes) {}

    static Run run(String name, int parallelism) throws Exception {
        return run(name, parallelism, false);
    }

    /** Fails the job once, after a checkpoint has completed and some decisions have passed. */
    static final class FailOnce extends org.apache.flink.api.common.functions.RichMapFunction<DecisionRecord, DecisionRecord>
            implements org.apache.flink.api.common.state.CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final java.util.concurrent.atomic.AtomicBoolean FAILED = new java.util.concurrent.atomic.AtomicBoolean();
        private transient boolean checkpointed;
        private transient long seen;

        @Override
        public DecisionRecord map(DecisionRecord r) {
            if (++seen > 2000 && checkpointed && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("forced failure after " + seen + " decisions");
            }
            return r;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }

    static Run run(String name, int parallelism, boolean failOnce) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "500ms");
        conf.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        conf.setString("parallelism.default", String.valueOf(parallelism));
        conf.setString("pipeline.generic-types", "false");
        conf.setString(DecisionOptions.GLOBAL_HOLDOUT_PCT.key(), String.valueOf(GLOBAL_HOLDOUT));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        DecisionFiles in = new DecisionFiles()
                .with(DecisionLineParser.REQUESTS, requests)
                .with(DecisionLineParser.EXPERIMENTS, experiments)
                .with(DecisionLineParser.EVENTS, events)
                .with(DecisionLineParser.CONTROL, control);
        DecisionFileOutputs out = new DecisionFileOutputs(dir.resolve(name + "/decisions.jsonl"), null);
        DecisionJob.Outputs outputs = !failOnce ? out : streams -> out.write(new DecisionJob.Streams(
                streams.decisions.map(new FailOnce()).name("fail once").uid("fail-once"), streams.deadLetters, streams.posteriors));
        if (failOnce) {
            conf.setString("restart-strategy.type", "fixed-delay");
            conf.setString("restart-strategy.fixed-delay.attempts", "3");
            conf.setString("restart-strategy.fixed-delay.delay", "100ms");
            conf.setString("execution.checkpointing.interval", "100ms");
        }
        InProcessLoop loop = new InProcessLoop();
        try {
            new DecisionJob(in, outputs, loop, conf).run(env);
        } finally {
            loop.close();
        }
        out.finish();
        return new Run(Files.readAllLines(out.decisions()), Files.readAllLines(out.deadLetters()),
                Files.readAllBytes(out.decisions()));
    }

    static Run first;

    static synchronized Run first() throws Exception {
        if (first == null) {
            first = run("first", MiniClusters.PARALLELISM);
        }
        return first;
    }

    @Test
    void byteIdenticalOnEveryRunAndAtParallelismOneAndTwo() throws Exception {
        Run a = first();
        Run b = run("second", MiniClusters.PARALLELISM);
        Run c = run("serial", 1);
        assertThat(b.bytes()).isEqualTo(a.bytes());
        assertThat(c.bytes()).isEqualTo(a.bytes());
        assertThat(b.deadLetters()).isEqualTo(a.deadLetters());
        // The bandit has left its burn-in: the rewards came back through the loop.
        long learned = a.decisions().stream().map(DecisionJobFileITCase::json)
                .filter(d -> d.get("experiment_id").asText().equals("recovery") && d.get("reason").asText().equals("assigned"))
                .filter(d -> Math.abs(d.get("propensity").asDouble() - 1.0 / 3) > 1e-9)
                .count();
        assertThat(learned).isPositive();
        long learnedRevenue = a.decisions().stream().map(DecisionJobFileITCase::json)
                .filter(d -> d.get("experiment_id").asText().equals("upsell") && d.get("reason").asText().equals("assigned"))
                .filter(d -> Math.abs(d.get("propensity").asDouble() - 1.0 / 3) > 1e-9)
                .count();
        assertThat(learnedRevenue).as("revenue posteriors (normal-gamma) came back too").isPositive();
    }

    @Test
    void aFailureAndRestartFromACheckpointChangeNothing() throws Exception {
        Run failed = run("failed", MiniClusters.PARALLELISM, true);
        assertThat(FailOnce.FAILED).isTrue();
        assertThat(failed.bytes()).isEqualTo(first().bytes());
    }

    @Test
    void everyRequestIsAnsweredOnceAndBadLinesAreDeadLettered() throws Exception {
        Run r = first();
        long requestLines = Files.readAllLines(requests).size() - 3;
        Set<String> ids = new HashSet<>();
        Set<String> requestIds = new HashSet<>();
        for (String line : r.decisions()) {
            JsonNode d = json(line);
            assertThat(ids.add(d.get("decision_id").asText())).isTrue();
            requestIds.add(d.get("request_id").asText());
            assertThat(d.get("request_id").asText()).isNotEqualTo("late-one");
            assertThat(d.size()).isEqualTo(11);
        }
        assertThat((long) requestIds.size()).isEqualTo(requestLines);
        assertThat(r.deadLetters()).hasSize(5);
        assertThat(r.deadLetters()).anyMatch(l -> l.contains("\"reason\":\"late\"") && l.contains("late-one"));
        assertThat(r.deadLetters()).anyMatch(l -> l.contains("missing_field: experiment_id"))
                .anyMatch(l -> l.contains("malformed_json")).anyMatch(l -> l.contains("invalid_definition"))
                .anyMatch(l -> l.contains("\"stream\":\"control\""));
    }

    @Test
    void stickyAcrossAWeightChangeAndFirstAssignmentsEqualTheBucketing() throws Exception {
        ExperimentAssigner v1 = new ExperimentAssigner(ExperimentDefinitionJson.parse(AB_V1), GLOBAL_HOLDOUT);
        ExperimentAssigner v2 = new ExperimentAssigner(ExperimentDefinitionJson.parse(AB_V2), GLOBAL_HOLDOUT);
        Map<String, String> arm = new HashMap<>();
        int assignedBeforeV2 = 0;
        int keptAfterV2 = 0;
        for (String line : first().decisions()) {
            JsonNode d = json(line);
            if (!d.get("experiment_id").asText().equals("ab")) {
                continue;
            }
            String user = d.get("user_id").asText();
            String reason = d.get("reason").asText();
            long t = Instant.parse(d.get("timestamp").asText()).toEpochMilli();
            if (deleted.contains(user) && t > DELETE_AT && !arm.containsKey(user + "/deleted")) {
                arm.remove(user); // deletion forgets the assignment
                arm.put(user + "/deleted", "");
            }
            if (reason.equals("assigned")) {
                assertThat(arm).doesNotContainKey(user);
                ExperimentAssigner expected = t >= V2_AT ? v2 : v1;
                assertThat(d.get("arm").asText()).as("first assignment of %s", user).isEqualTo(expected.assign(user).arm());
                assertThat(d.get("experiment_version").asLong())
                        .isEqualTo(t >= V2_AT ? V2_AT : Instant.parse("2026-11-20T09:00:00Z").toEpochMilli());
                arm.put(user, d.get("arm").asText());
                assignedBeforeV2 += t < V2_AT ? 1 : 0;
            } else if (reason.equals("sticky")) {
                assertThat(d.get("arm").asText()).as("sticky arm of %s", user).isEqualTo(arm.get(user));
                if (t >= V2_AT && !v2.assign(user).arm().equals(arm.get(user))) {
                    keptAfterV2++;
                }
            }
        }
        assertThat(assignedBeforeV2).isGreaterThan(1000);
        assertThat(keptAfterV2).as("users whose v2 bucket differs keep their v1 arm").isPositive();
    }

    @Test
    void holdoutSharesWithinBinomialTolerance() throws Exception {
        Set<String> users = new HashSet<>();
        Set<String> held = new HashSet<>();
        int globallyHeld = 0;
        for (String line : first().decisions()) {
            JsonNode d = json(line);
            if (!d.get("experiment_id").asText().equals("ab") || d.get("reason").asText().equals("consent")
                    || d.get("reason").asText().equals("suppressed")) {
                continue;
            }
            String user = d.get("user_id").asText();
            users.add(user);
            if (d.get("in_holdout").asBoolean()) {
                assertThat(d.get("reason").asText()).isEqualTo("holdout");
                assertThat(d.get("arm").asText()).isEqualTo("control");
                held.add(user);
            }
        }
        for (String u : held) {
            globallyHeld += Holdouts.inGlobalHoldout(u, GLOBAL_HOLDOUT) ? 1 : 0;
        }
        double p = 1 - (1 - GLOBAL_HOLDOUT / 100) * (1 - 0.10);
        double n = users.size();
        double sigma = Math.sqrt(n * p * (1 - p));
        assertThat((double) held.size()).isBetween(n * p - 4 * sigma, n * p + 4 * sigma);
        double pg = GLOBAL_HOLDOUT / 100;
        double sg = Math.sqrt(n * pg * (1 - pg));
        assertThat((double) globallyHeld).isBetween(n * pg - 4 * sg, n * pg + 4 * sg);
    }

    @Test
    void consentSuppressionAndCaps() throws Exception {
        Map<String, List<Long>> treated = new HashMap<>();
        int consent = 0;
        int capped = 0;
        int paused = 0;
        int unknown = 0;
        for (String line : first().decisions()) {
            JsonNode d = json(line);
            String user = d.get("user_id").asText();
            String reason = d.get("reason").asText();
            String exp = d.get("experiment_id").asText();
            long t = Instant.parse(d.get("timestamp").asText()).toEpochMilli();
            boolean out = optedOut.contains(user) && t > CONSENT_AT && !(optedBackIn.contains(user) && t > OPT_IN_AT)
                    && !(deleted.contains(user) && t > DELETE_AT);
            boolean supp = suppressed.contains(user) && t > CONSENT_AT && !(deleted.contains(user) && t > DELETE_AT);
            if (exp.equals("paused-one")) {
                assertThat(reason).isEqualTo("paused");
                paused++;
                continue;
            }
            if (exp.equals("no-such-experiment")) {
                assertThat(reason).isEqualTo("unknown_experiment");
                assertThat(d.get("arm").isNull()).isTrue();
                unknown++;
                continue;
            }
            boolean erased = deleted.contains(user) && t >= DELETE_AT; // final: a later opt_in does not lift it
            if (erased) {
                assertThat(reason).as("erased %s at %s", user, d.get("timestamp")).isEqualTo("consent");
                assertThat(d.get("propensity").asDouble()).isEqualTo(1.0);
                consent++;
            } else if (out) {
                assertThat(reason).as("%s at %s", user, d.get("timestamp")).isEqualTo("consent");
                assertThat(d.get("arm").asText()).as("the default arm").isIn("control", "none", "plain");
                consent++;
            } else if (supp) {
                assertThat(reason).isEqualTo("suppressed");
            } else {
                assertThat(reason).isNotIn("consent", "suppressed");
            }
            if (deleted.contains(user) && t > DELETE_AT && !treated.containsKey(user + "/deleted")) {
                treated.remove(user); // deletion forgets the cap's history
                treated.put(user + "/deleted", new ArrayList<>());
            }
            if (exp.equals("ab") && (reason.equals("assigned") || reason.equals("sticky"))) {
                treated.computeIfAbsent(user, k -> new ArrayList<>()).add(t);
            }
            if (reason.equals("capped")) {
                capped++;
                List<Long> before = treated.getOrDefault(user, List.of());
                long inWindow = before.stream().filter(x -> x > t - HOUR).count();
                assertThat(inWindow).as("capped only after 3 treatments within the hour: %s at %s after %s", user, t, before).isGreaterThanOrEqualTo(3);
            }
        }
        treated.keySet().removeIf(k -> k.endsWith("/deleted"));
        for (List<Long> ts : treated.values()) {
            for (int i = 3; i < ts.size(); i++) {
                assertThat(ts.get(i) - ts.get(i - 3)).as("at most 3 treatments per hour").isGreaterThanOrEqualTo(HOUR);
            }
        }
        assertThat(consent).isGreaterThan(50);
        assertThat(capped).isPositive();
        assertThat(paused).isPositive();
        assertThat(unknown).isPositive();
        assertThat(SECOND).isPositive();
    }
}
