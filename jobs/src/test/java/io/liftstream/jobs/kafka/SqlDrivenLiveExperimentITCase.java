package io.liftstream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.assignment.ExperimentAssigner;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.decision.DecisionIds;
import io.liftstream.experiments.decision.DecisionOutcome;
import io.liftstream.experiments.decision.DecisionReason;
import io.liftstream.experiments.decision.ExperimentDecider;
import io.liftstream.experiments.decision.UserSignals;
import io.liftstream.jobs.decisions.DecisionJob;
import io.liftstream.jobs.decisions.DecisionOptions;
import io.liftstream.jobs.decisions.kafka.DecisionKafkaSettings;
import io.liftstream.jobs.decisions.kafka.KafkaDecisionInputs;
import io.liftstream.jobs.decisions.kafka.KafkaDecisionOutputs;
import io.liftstream.jobs.decisions.kafka.KafkaPosteriorLoop;
import io.liftstream.jobs.experiments.ExperimentDefinitionJson;
import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.results.ResultsJob;
import io.liftstream.jobs.results.ResultsKafkaInputs;
import io.liftstream.jobs.results.ResultsKafkaOutputs;
import io.liftstream.jobs.results.ResultsKafkaSettings;
import io.liftstream.jobs.results.ResultsOptions;
import io.liftstream.jobs.testkit.CliRun;
import io.liftstream.jobs.testkit.KafkaBroker;
import io.liftstream.jobs.testkit.MiniClusters;
import io.liftstream.jobs.testkit.SegmentLines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.TopicConfig;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * An experiment created, changed and stopped by SQL takes effect in the running jobs, end to end
 * against a real Kafka 4.1 broker: the Kafka-mode decision job and results job run unbounded side
 * by side (exactly once, RocksDB, parallelism 2, the topics' default names, so the two jobs and the
 * SQL catalog meet where production does) while {@code liftstream sql -f sql/experiments/SCRIPT
 * --bootstrap-servers …} (the CLI path) creates cart-recovery, changes its weights, pauses, resumes
 * and stops it. cart_abandoned triggers ask for decisions and Order Completed events are the
 * outcomes, as in production.
 *
 * <p>Event time (2026-11-20, UTC): each script takes effect on the hour ({@code --set
 * effective_at=…}): created 10:00, weights 0.2/0.4/0.4 at 11:00, paused 12:00, resumed 13:00,
 * stopped 14:00. Triggers come at hh:01 (100 ms apart), orders at hh:01:30. Asserted:
 * <ul>
 *   <li>decisions: every one carries the version in force ({@code experiment_version}); new users are
 *       {@code assigned} (cart-recovery is a Thompson-sampling bandit still in burn-in: a uniform
 *       draw seeded by the decision id, propensity 1/3, whatever the weights), users assigned before
 *       a change are {@code sticky} in their arm across the reweighting and the pause, the 5% holdout
 *       stays {@code holdout}; {@code paused} while paused, {@code fallback} after the stop;</li>
 *   <li>results: exactly one record per hour, as of 11:00 (running, the cadence), 12:00 (paused),
 *       13:00 (running again), 14:00 (stopped): the status changes, and 15:00 (still stopped, with
 *       the conversions after the stop of users inside their 24 h window); each with the users and
 *       conversion rate per arm, the holdout and the treated users that the decisions and orders
 *       sent imply as of that instant, and no exposure conflicts;</li>
 *   <li>no dead letters in either job.</li>
 * </ul>
 *
 * <p>The order of the writes is what makes this deterministic (both jobs are watermark-gated and
 * join in event time), and the test checks it by consumer-group offsets, not sleeps: a Flink Kafka
 * source commits a checkpoint's offsets when the checkpoint completes, so once a job's group has
 * committed past a record, the job has processed it. A batch of triggers is decided once the next
 * batch moves the decision job's event time past it, so before a phase's triggers the decision job
 * must have read the previous phase's version (a version read later than its timestamp but before
 * the requests after it are decided still applies from its timestamp). A phase's orders go out in
 * the next phase, after its script: by then the results job must have read the phase's version and
 * every decision so far, because the orders move its event time past them (a version read after
 * that would apply late, and decisions behind event time would miss the orders that follow them).
 * The new version written by the script wakes the jobs' readers of the experiments topic, so they
 * commit at once instead of after their 10 s poll.
 *
 * <p>The broker applies its time-based retention (7 days) every second: the event times here are a
 * past day, so a record stamped with its event time instead of its write time would be deleted
 * before it is read. (With the broker's default check, 30 s after start and then every 5 minutes,
 * the results job's first result, stamped with its {@code as_of}, went missing only when the test
 * ran across a check: under load.)
 */
class SqlDrivenLiveExperimentITCase {
    /**
     * The decision job, the results job and the SQL scripts' jobs, each at parallelism 2; managed
     * memory for the two jobs' RocksDB instances (the default 128 MB over six slots makes RocksDB flush constantly).
     */
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(3 * MiniClusters.PARALLELISM)
            .setConfiguration(managedMemory())
            .build());

    private static Configuration managedMemory() {
        Configuration c = new Configuration();
        c.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("512m"));
        return c;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String EXPERIMENT = "cart-recovery";
    private static final String DAY = "2026-11-20";
    private static final long SECOND = 1_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String DECIDE_GROUP = "sql-live-decide";
    private static final String RESULTS_GROUP = "sql-live-results";
    private static final List<String> ARMS = List.of("control", "discount", "free_shipping");
    /** When cart-recovery-weights.sql changes the weights: the start of the results' second phase. */
    private static final long REWEIGHTED_AT = Instant.parse(DAY + "T11:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;

    private static KafkaBroker kafka;
    private static final DecisionKafkaSettings DECIDE = new DecisionKafkaSettings();
    private static final ResultsKafkaSettings RESULTS = new ResultsKafkaSettings();

    @TempDir Path dir;

    /**
     * One step of the story: a script taking effect on the hour (none for the last), triggers of
     * {@code users} at hh:01 + 100 ms each, and an order of each of {@code buyers} at hh:01:30 + 100 ms each.
     */
    private record Phase(String name, String script, int hour, int[] users, int[] buyers) {
        long effective() {
            return Instant.parse(DAY + "T" + String.format("%02d", hour) + ":00:00Z").toEpochMilli();
        }

        long triggerAt(int index) {
            return effective() + MINUTE + index * 100L;
        }

        long orderAt(int index) {
            return effective() + MINUTE + 30 * SECOND + index * 100L;
        }

        String triggerId(int user) {
            return name + "-u" + user;
        }
    }

    private static final List<Phase> PHASES = List.of(
            new Phase("create", "cart-recovery.sql", 10, range(0, 40), range(0, 40, i -> i % 4 == 0)),
            // u0 orders again: a user converts once.
            new Phase("reweight", "cart-recovery-weights.sql", 11, range(0, 80), concat(range(40, 80, i -> i % 4 == 1), 0)),
            // Orders while paused count for users exposed before; u80 is not exposed yet (its order never counts).
            new Phase("pause", "pause.sql", 12, concat(range(0, 20), range(80, 90)), concat(range(0, 80, i -> i % 4 == 2), 80)),
            new Phase("resume", "resume.sql", 13, concat(range(0, 20), range(80, 90)), range(80, 90, i -> i % 2 == 0)),
            // Orders after the stop still count inside the users' 24 h windows; u90 was never exposed.
            new Phase("stop", "stop.sql", 14, concat(range(0, 10), range(90, 95)), concat(range(0, 40, i -> i % 4 == 3), 90)),
            // Decides the stop's triggers and moves event time past 15:00 (u96 was never exposed).
            new Phase("after", null, 15, new int[] {95}, new int[] {96}));

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start(KafkaBroker.RETENTION_CHECKED_EVERY_SECOND);
        DECIDE.bootstrapServers = kafka.bootstrapServers();
        DECIDE.requestsTopic = ""; // cart-recovery is asked for by its trigger
        DECIDE.groupId = DECIDE_GROUP;
        DECIDE.startingOffsets = "earliest";
        DECIDE.transactionalIdPrefix = DECIDE_GROUP;
        RESULTS.bootstrapServers = kafka.bootstrapServers();
        RESULTS.groupId = RESULTS_GROUP;
        RESULTS.startingOffsets = "earliest";
        RESULTS.transactionalIdPrefix = RESULTS_GROUP;
        // The decision job's outputs are the results job's inputs: the defaults must agree.
        assertThat(RESULTS.decisionsTopic).isEqualTo(DECIDE.decisionsTopic);
        assertThat(RESULTS.experimentsTopic).isEqualTo(DECIDE.experimentsTopic);
        assertThat(RESULTS.eventsTopic).isEqualTo(DECIDE.eventsTopic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(
                    new NewTopic(DECIDE.experimentsTopic, 2, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                    new NewTopic(DECIDE.triggersTopic, 1, (short) 1),
                    new NewTopic(DECIDE.eventsTopic, 1, (short) 1),
                    new NewTopic(DECIDE.controlTopic, 1, (short) 1),
                    new NewTopic(DECIDE.decisionsTopic, 2, (short) 1),
                    new NewTopic(DECIDE.deadLetterTopic, 1, (short) 1),
                    new NewTopic(RESULTS.resultsTopic, 2, (short) 1),
                    new NewTopic(RESULTS.deadLetterTopic, 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void anExperimentCreatedChangedAndStoppedBySqlTakesEffectInTheRunningJobs() throws Exception {
        Configuration decideConf = conf("decide");
        JobClient decide = new DecisionJob(new KafkaDecisionInputs(DECIDE, decideConf), new KafkaDecisionOutputs(DECIDE),
                new KafkaPosteriorLoop(DECIDE), decideConf)
                .start(StreamExecutionEnvironment.getExecutionEnvironment(decideConf));
        JobClient results = null;
        try {
            Configuration resultsConf = conf("results");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(resultsConf);
            new ResultsJob(new ResultsKafkaInputs(RESULTS, resultsConf), new ResultsKafkaOutputs(RESULTS), resultsConf).wire(env);
            results = env.executeAsync(ResultsJob.NAME);

            Map<String, ExperimentDefinition> versions = new LinkedHashMap<>();
            Map<String, List<ConsumerRecord<String, String>>> topicUpTo = new HashMap<>();
            Map<String, Map<Integer, JsonNode>> decisions = new HashMap<>();
            List<ConsumerRecord<String, String>> decided = List.of();
            Phase previous = null;
            for (Phase phase : PHASES) {
                if (phase.script() != null) {
                    List<ConsumerRecord<String, String>> topic = runScript(phase, versions.size() + 1);
                    versions.put(phase.name(), ExperimentDefinitionJson.parse(topic.get(topic.size() - 1).value()));
                    topicUpTo.put(phase.name(), topic);
                }
                if (previous != null) {
                    List<ConsumerRecord<String, String>> version = topicUpTo.get(previous.name());
                    // The previous phase's orders move the results job's event time past its version and
                    // its decisions: it must have read them (the new version woke its readers).
                    kafka.awaitCommitted(RESULTS_GROUP + "-" + ResultsJob.Stream.EXPERIMENTS.id, version, TIMEOUT,
                            "the results job reads the version of " + previous.script());
                    kafka.awaitCommitted(RESULTS_GROUP + "-" + ResultsJob.Stream.DECISIONS.id, decided, TIMEOUT,
                            "the results job reads the decisions before the " + previous.name() + " orders");
                    kafka.produce(DECIDE.eventsTopic, orders(previous));
                    // This phase's triggers get the previous phase's decided: the decision job must have its version.
                    kafka.awaitCommitted(DECIDE_GROUP, version, TIMEOUT, "the decision job reads the version of " + previous.script());
                }
                kafka.produce(DECIDE.triggersTopic, triggers(phase));
                if (previous != null) {
                    decided = awaitDecisions(previous);
                    decisions.put(previous.name(), byUser(previous, decided));
                }
                previous = phase;
            }
            kafka.awaitCommitted(RESULTS_GROUP + "-" + ResultsJob.Stream.DECISIONS.id, decided, TIMEOUT,
                    "the results job reads the decisions before the last orders");
            kafka.produce(DECIDE.eventsTopic, orders(previous));

            // What the scripts wrote: the version in force changed at every step.
            assertThat(versions.values()).extracting(ExperimentDefinition::status).containsExactly(ExperimentStatus.RUNNING,
                    ExperimentStatus.RUNNING, ExperimentStatus.PAUSED, ExperimentStatus.RUNNING, ExperimentStatus.STOPPED);
            assertThat(versions.get("create").weights()).usingComparatorWithPrecision(1e-12).containsExactly(0.34, 0.33, 0.33);
            assertThat(versions.get("reweight").weights()).usingComparatorWithPrecision(1e-12).containsExactly(0.2, 0.4, 0.4);
            Exposures exposures = assertDecisions(versions, decisions);

            List<JsonNode> records = awaitResults(Instant.parse(DAY + "T15:00:00Z").toEpochMilli());
            assertThat(kafka.readCommitted(DECIDE.deadLetterTopic)).extracting(ConsumerRecord::value)
                    .as("decision job dead letters").isEmpty();
            assertThat(kafka.readCommitted(RESULTS.deadLetterTopic)).extracting(ConsumerRecord::value)
                    .as("results job dead letters (late inputs among them)").isEmpty();
            assertResults(records, exposures);
        } finally {
            decide.cancel().get();
            if (results != null) {
                results.cancel().get();
            }
        }
    }

    private Configuration conf(String job) {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "200ms");
        conf.setString("execution.checkpointing.dir", dir.resolve("checkpoints-" + job).toUri().toString());
        conf.setString("parallelism.default", String.valueOf(MiniClusters.PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        // Event time here runs hours ahead in seconds of wall clock: quiet partitions must not hold it back for long.
        conf.set(EventTimeOptions.SOURCE_IDLENESS, Duration.ofMillis(500));
        conf.set(DecisionOptions.EXPERIMENTS_IDLENESS, Duration.ofMillis(500));
        // A batch's decisions reach the decisions topic from two subtasks, interleaved (a batch spans 4 s).
        conf.set(EventTimeOptions.OUT_OF_ORDERNESS, Duration.ofMinutes(1));
        conf.set(ResultsOptions.CADENCE, Duration.ofHours(1));
        return conf;
    }

    /**
     * Runs the phase's script through {@code liftstream sql --bootstrap-servers} and checks the
     * version it wrote; returns the experiments topic up to it.
     */
    private List<ConsumerRecord<String, String>> runScript(Phase phase, int expectedVersions) throws Exception {
        List<String> args = new ArrayList<>(List.of("sql", "-f", Path.of("..", "sql", "experiments", phase.script()).toString(),
                "--bootstrap-servers", kafka.bootstrapServers(),
                "--set", "experiment_id=" + EXPERIMENT,
                "--set", "effective_at=TIMESTAMP '" + Instant.ofEpochMilli(phase.effective()).toString()
                        .replace('T', ' ').replace("Z", "") + "'"));
        args.addAll(CliRun.embedded(dir));
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(phase.script() + ": " + run.err).isZero();

        List<ConsumerRecord<String, String>> topic = kafka.readCommitted(DECIDE.experimentsTopic);
        assertThat(topic).as("versions on %s after %s", DECIDE.experimentsTopic, phase.script()).hasSize(expectedVersions);
        ConsumerRecord<String, String> written = topic.get(topic.size() - 1);
        assertThat(written.key()).isEqualTo(EXPERIMENT);
        assertThat(ExperimentDefinitionJson.parse(written.value()).timestamp()).isEqualTo(Instant.ofEpochMilli(phase.effective()));
        return topic;
    }

    private static List<String[]> triggers(Phase phase) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < phase.users().length; i++) {
            int u = phase.users()[i];
            long t = phase.triggerAt(i);
            ObjectNode o = MAPPER.createObjectNode();
            o.put("trigger_id", phase.triggerId(u)).put("trigger", "cart_abandoned").put("user_id", "u" + u)
                    .put("event_time", Instant.ofEpochMilli(t - 30 * MINUTE).toString())
                    .put("detected_at", Instant.ofEpochMilli(t).toString());
            o.putObject("context").put("cart_value", 42.0);
            out.add(new String[] {"u" + u, o.toString()});
        }
        return out;
    }

    private static List<String[]> orders(Phase phase) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < phase.buyers().length; i++) {
            int u = phase.buyers()[i];
            out.add(new String[] {"u" + u, SegmentLines.orderCompleted("u" + u, phase.orderAt(i), "o-" + phase.name() + "-" + u, 30.0)});
        }
        return out;
    }

    /** Waits until every trigger of {@code phase} has its committed decision; returns the decisions topic as read. */
    private static List<ConsumerRecord<String, String>> awaitDecisions(Phase phase) {
        String prefix = phase.name() + "-";
        List<ConsumerRecord<String, String>> all = kafka.readCommittedUntil(DECIDE.decisionsTopic,
                rs -> rs.stream().filter(r -> json(r.value()).get("request_id").asText().startsWith(prefix)).count()
                        >= phase.users().length,
                TIMEOUT);
        assertThat(byUser(phase, all)).as("decisions of the %s triggers (waited %s)", phase.name(), TIMEOUT)
                .hasSize(phase.users().length);
        return all;
    }

    /** The decisions of {@code phase}'s triggers, by user number. */
    private static Map<Integer, JsonNode> byUser(Phase phase, List<ConsumerRecord<String, String>> records) {
        String prefix = phase.name() + "-";
        Map<Integer, JsonNode> byUser = new TreeMap<>();
        for (ConsumerRecord<String, String> r : records) {
            JsonNode d = json(r.value());
            if (d.get("request_id").asText().startsWith(prefix)) {
                assertThat(r.key()).isEqualTo(d.get("user_id").asText());
                assertThat(byUser.put(Integer.parseInt(d.get("user_id").asText().substring(1)), d))
                        .as("one decision per trigger: %s", d).isNull();
            }
        }
        return byUser;
    }

    /** Users' first exposures (time and group: an arm or "holdout") and their first order. */
    private static final class Exposures {
        final Map<String, Long> firstAt = new HashMap<>();
        final Map<String, String> group = new HashMap<>();
        final Map<String, Long> ordered = new HashMap<>();

        void expose(String user, long at, String g) {
            if (!firstAt.containsKey(user)) {
                firstAt.put(user, at);
                group.put(user, g);
            } else {
                assertThat(group.get(user)).as("%s stays in its group", user).isEqualTo(g);
            }
        }

        /** Users exposed before {@code t} in {@code g}, and how many of them converted before {@code t}. */
        long[] usersAndConversions(String g, long t) {
            long users = 0;
            long conversions = 0;
            for (Map.Entry<String, Long> e : firstAt.entrySet()) {
                if (e.getValue() < t && group.get(e.getKey()).equals(g)) {
                    users++;
                    Long o = ordered.get(e.getKey());
                    conversions += o != null && o < t ? 1 : 0;
                }
            }
            return new long[] {users, conversions};
        }

        /**
         * What the results job reports per compared arm ({@code n}, {@code mean}) as of {@code t}:
         * users belong to the phase {@code phaseOf(first exposure)}, and phases in which every compared
         * arm has 2 users are combined by traffic (the job's {@code PhaseCombination}: w_p = users of
         * the compared arms in p / all of them); with one such phase, that phase alone; with none, the
         * latest phase.
         */
        double[][] byPhase(List<List<String>> arms, long t, java.util.function.LongUnaryOperator phaseOf) {
            TreeMap<Long, double[][]> byPhase = new TreeMap<>();
            for (Map.Entry<String, Long> e : firstAt.entrySet()) {
                if (e.getValue() >= t) {
                    continue;
                }
                double[][] row = byPhase.computeIfAbsent(phaseOf.applyAsLong(e.getValue()), k -> new double[arms.size()][2]);
                for (int j = 0; j < arms.size(); j++) {
                    if (arms.get(j).contains(group.get(e.getKey()))) {
                        row[j][0]++;
                        Long o = ordered.get(e.getKey());
                        row[j][1] += o != null && o < t ? 1 : 0;
                    }
                }
            }
            List<double[][]> rows = new ArrayList<>(byPhase.values());
            List<double[][]> usable = new ArrayList<>();
            for (double[][] row : rows) {
                boolean enough = true;
                for (double[] cell : row) {
                    enough &= cell[0] >= 2;
                }
                if (enough) {
                    usable.add(row);
                }
            }
            double[][] out = new double[arms.size()][2];
            if (usable.size() <= 1) {
                double[][] row = usable.isEmpty() ? rows.get(rows.size() - 1) : usable.get(0);
                for (int j = 0; j < arms.size(); j++) {
                    out[j][0] = row[j][0];
                    out[j][1] = row[j][1] / row[j][0];
                }
                return out;
            }
            double total = 0;
            double[] traffic = new double[usable.size()];
            for (int p = 0; p < usable.size(); p++) {
                for (double[] cell : usable.get(p)) {
                    traffic[p] += cell[0];
                }
                total += traffic[p];
            }
            for (int j = 0; j < arms.size(); j++) {
                for (int p = 0; p < usable.size(); p++) {
                    double[] cell = usable.get(p)[j];
                    out[j][0] += cell[0];
                    out[j][1] += traffic[p] / total * cell[1] / cell[0];
                }
            }
            return out;
        }
    }

    /** Checks every decision against the version in force at its time; returns the exposures they make. */
    private static Exposures assertDecisions(Map<String, ExperimentDefinition> versions, Map<String, Map<Integer, JsonNode>> decisions) {
        ExperimentDefinition created = versions.get("create");
        ExperimentAssigner holdout = new ExperimentAssigner(created, 0);
        Map<String, String> assigned = new HashMap<>();
        Exposures exposures = new Exposures();
        ExperimentDefinition inForce = null;
        for (Phase phase : PHASES.subList(0, PHASES.size() - 1)) {
            inForce = versions.getOrDefault(phase.name(), inForce);
            ExperimentDecider decider = new ExperimentDecider(inForce, 0);
            Map<String, Integer> reasons = new TreeMap<>();
            for (int i = 0; i < phase.users().length; i++) {
                int u = phase.users()[i];
                String user = "u" + u;
                JsonNode d = decisions.get(phase.name()).get(u);
                String what = phase.name() + " " + user + ": " + d;
                assertThat(d.get("experiment_id").asText()).isEqualTo(EXPERIMENT);
                assertThat(d.get("experiment_version").asLong()).as(what).isEqualTo(phase.effective());
                assertThat(Instant.parse(d.get("timestamp").asText()).toEpochMilli()).as(what).isEqualTo(phase.triggerAt(i));
                String reason = d.get("reason").asText();
                reasons.merge(reason, 1, Integer::sum);
                ExperimentStatus status = inForce.status();
                if (status != ExperimentStatus.RUNNING || holdout.assign(user).inHoldout()) {
                    String expected = status == ExperimentStatus.PAUSED ? "paused" : status == ExperimentStatus.STOPPED ? "fallback" : "holdout";
                    assertThat(reason).as(what).isEqualTo(expected);
                    assertThat(d.get("arm").asText()).as("the default experience: " + what).isEqualTo("control");
                    assertThat(d.get("in_holdout").asBoolean()).as(what).isEqualTo(expected.equals("holdout"));
                    if (expected.equals("holdout")) {
                        exposures.expose(user, phase.triggerAt(i), "holdout");
                    }
                    continue;
                }
                String arm = assigned.get(user);
                if (arm != null) {
                    assertThat(reason).as("assigned before: " + what).isEqualTo("sticky");
                    assertThat(d.get("arm").asText()).as("keeps its arm: " + what).isEqualTo(arm);
                } else {
                    String decisionId = DecisionIds.decisionId(phase.triggerId(u), EXPERIMENT);
                    assertThat(d.get("decision_id").asText()).isEqualTo(decisionId);
                    DecisionOutcome expected = decider.decide(user, UserSignals.NONE, decisionId, () -> decider.posteriors(Map.of()));
                    assertThat(expected.reason()).isEqualTo(DecisionReason.ASSIGNED);
                    assertThat(reason).as("new user: " + what).isEqualTo("assigned");
                    assertThat(d.get("arm").asText()).as("the burn-in draw: " + what).isEqualTo(expected.arm());
                    arm = expected.arm();
                    assigned.put(user, arm);
                }
                assertThat(d.get("policy").asText()).isEqualTo("thompson");
                assertThat(d.get("propensity").asDouble()).as("burn-in: uniform over 3 arms: " + what).isCloseTo(1.0 / 3, within(1e-12));
                exposures.expose(user, phase.triggerAt(i), arm);
            }
            assertThat(reasons).as("reasons of the %s triggers", phase.name()).isEqualTo(expectedReasons(phase));
        }
        for (Phase phase : PHASES) {
            for (int i = 0; i < phase.buyers().length; i++) {
                String user = "u" + phase.buyers()[i];
                Long first = exposures.firstAt.get(user);
                long at = phase.orderAt(i);
                if (first != null && at >= first && at - first < 24 * 60 * MINUTE) {
                    exposures.ordered.merge(user, at, Math::min);
                }
            }
        }
        return exposures;
    }

    /** The reasons each phase's triggers get, counted by hand from the fixture (holdout: u7, u10, u23, u50, u66, u87). */
    private static Map<String, Integer> expectedReasons(Phase phase) {
        switch (phase.name()) {
            case "create":
                return Map.of("assigned", 37, "holdout", 3);
            case "reweight":
                return Map.of("sticky", 37, "assigned", 38, "holdout", 5);
            case "pause":
                return Map.of("paused", 30);
            case "resume":
                return Map.of("sticky", 18, "holdout", 3, "assigned", 9);
            case "stop":
                return Map.of("fallback", 15);
            default:
                throw new IllegalArgumentException(phase.name());
        }
    }

    /** Waits until the results topic has a record as of {@code lastAsOf}; returns every record in order. */
    private static List<JsonNode> awaitResults(long lastAsOf) {
        List<ConsumerRecord<String, String>> records = kafka.readCommittedUntil(RESULTS.resultsTopic,
                rs -> rs.stream().anyMatch(r -> asOf(json(r.value())) >= lastAsOf), TIMEOUT);
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            assertThat(r.key()).isEqualTo(EXPERIMENT);
            out.add(json(r.value()));
        }
        assertThat(out).as("results up to %s (waited %s)", Instant.ofEpochMilli(lastAsOf), TIMEOUT)
                .anyMatch(r -> asOf(r) >= lastAsOf);
        return out;
    }

    private static void assertResults(List<JsonNode> records, Exposures exposures) {
        assertThat(records).extracting(r -> r.get("as_of").asText() + " " + r.get("experiment_status").asText()).containsExactly(
                DAY + "T11:00:00.000Z running",   // the hourly cadence (the reweighting is no status change)
                DAY + "T12:00:00.000Z paused",
                DAY + "T13:00:00.000Z running",
                DAY + "T14:00:00.000Z stopped",
                DAY + "T15:00:00.000Z stopped");  // the cadence: orders after the stop, inside the windows
        long sequence = 0;
        for (JsonNode r : records) {
            long asOf = asOf(r);
            String what = r.get("as_of").asText();
            assertThat(r.get("sequence").asLong()).isEqualTo(++sequence);
            assertThat(r.get("method").asText()).isEqualTo("sequential");
            assertThat(r.get("exposure_conflicts").asLong()).as(what).isZero();
            Map<String, JsonNode> arms = byName(r.get("arms"));
            assertThat(arms.keySet()).as(what).containsExactlyElementsOf(ARMS);
            // Issue 12: totals per phase, combined by traffic.
            // cart-recovery is a Thompson bandit: its arms are compared per hourly bandit period
            // (liftstream.results.bandit-period, 1 h), its holdout per allocation phase (the
            // reweighting at 11:00 starts the second).
            double[][] expected = exposures.byPhase(ARMS.stream().map(List::of).toList(), asOf,
                    first -> Math.floorDiv(first, HOUR) * HOUR);
            for (int j = 0; j < ARMS.size(); j++) {
                String arm = ARMS.get(j);
                assertThat(arms.get(arm).get("n").asLong()).as("%s users of %s", what, arm).isEqualTo((long) expected[j][0]);
                assertThat(arms.get(arm).get("mean").asDouble()).as("%s conversion of %s", what, arm)
                        .isCloseTo(expected[j][1], within(1e-12));
            }
            Map<String, JsonNode> holdout = byName(r.get("holdout").get("arms"));
            double[][] held = exposures.byPhase(List.of(List.of("holdout"), ARMS), asOf,
                    first -> first >= REWEIGHTED_AT ? REWEIGHTED_AT : Long.MIN_VALUE);
            assertThat(holdout.get("holdout").get("n").asLong()).as("%s holdout users", what).isEqualTo((long) held[0][0]);
            assertThat(holdout.get("holdout").get("mean").asDouble()).as("%s holdout conversion", what)
                    .isCloseTo(held[0][1], within(1e-12));
            assertThat(holdout.get("treated").get("n").asLong()).as("%s treated users", what).isEqualTo((long) held[1][0]);
        }
        // The fixture's totals, by hand: 37 + 38 + 9 users assigned, 3 + 2 + 1 held out.
        JsonNode last = records.get(records.size() - 1);
        assertThat(byName(last.get("holdout").get("arms")).get("treated").get("n").asLong()).isEqualTo(84);
        assertThat(byName(last.get("holdout").get("arms")).get("holdout").get("n").asLong()).isEqualTo(6);
    }

    private static Map<String, JsonNode> byName(JsonNode arms) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        arms.forEach(a -> out.put(a.get("name").asText(), a));
        return out;
    }

    private static long asOf(JsonNode result) {
        return Instant.parse(result.get("as_of").asText()).toEpochMilli();
    }

    private static JsonNode json(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(line, e);
        }
    }

    private static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }

    private static int[] range(int from, int to, IntPredicate keep) {
        return IntStream.range(from, to).filter(keep).toArray();
    }

    private static int[] concat(int[] a, int... b) {
        return IntStream.concat(IntStream.of(a), IntStream.of(b)).toArray();
    }
}
