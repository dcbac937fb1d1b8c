package io.liftstream.jobs.decisions;

import static io.liftstream.jobs.decisions.DecisionFixtures.HOUR;
import static io.liftstream.jobs.decisions.DecisionFixtures.MINUTE;
import static io.liftstream.jobs.decisions.DecisionFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.decisions.kafka.DecisionKafkaSettings;
import io.liftstream.jobs.decisions.kafka.KafkaDecisionInputs;
import io.liftstream.jobs.decisions.kafka.KafkaDecisionOutputs;
import io.liftstream.jobs.decisions.kafka.KafkaPosteriorLoop;
import io.liftstream.jobs.decisions.kafka.LoopMessages;
import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.testkit.CliRun;
import io.liftstream.jobs.testkit.KafkaBroker;
import io.liftstream.jobs.testkit.MiniClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The decision job in Kafka mode against a real Kafka 4.1 broker in the test JVM, on a MiniCluster at
 * parallelism 2 with RocksDB and checkpoints: requests, triggers, definitions, outcome events and
 * control events are produced to their topics (one partition each), the job replays them bounded,
 * exactly once (transactional decision sink; the posterior loop through its Kafka topic), and fails
 * once mid-stream after a completed checkpoint, restarting from it.
 *
 * <p>A read_committed consumer of the decisions topic then sees every request answered exactly once
 * (no duplicate decision_id, none missing) and exactly the decisions the file mode writes for the
 * same lines, Thompson-sampling and top-two bandits included: the restored job reads the loop from
 * its checkpointed offset (plus, harmlessly, what the failed attempt published later), so the gated
 * clock stays deterministic. A request dated 2199 is answered too (the record timestamp is the
 * write time, not the event time, which a broker would reject).
 */
class KafkaDecisionsExactlyOnceITCase {
    /** A future skew beyond 2199, so the far-future request is decided (see {@link #conf}). */
    private static final String FAR = "100000d";
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(2 * MiniClusters.PARALLELISM); // two jobs at once

    private static final int USERS = 800;
    /** Fewer epochs: a bounded replay pays one loop round trip per epoch that holds items. */
    private static final String INTERVAL = "10min";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static KafkaBroker kafka;

    @TempDir static Path dir;

    static List<String> requests = new ArrayList<>();
    static List<String> triggers = new ArrayList<>();
    static List<String> events = new ArrayList<>();
    static List<String> control = new ArrayList<>();
    static List<String> experiments;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start();
        Random rnd = new Random(7);
        List<Object[]> timedRequests = new ArrayList<>();
        List<Object[]> timedTriggers = new ArrayList<>();
        int n = 0;
        for (int u = 0; u < USERS; u++) {
            for (int i = 0, count = 1 + rnd.nextInt(4); i < count; i++) {
                long t = T0 + (long) (rnd.nextDouble() * 2 * HOUR);
                timedRequests.add(new Object[] {t, DecisionFixtures.request("r" + n++, "u" + u, "ab", t)});
                if (rnd.nextDouble() < 0.3) {
                    events.add(DecisionFixtures.order("u" + u, t + (long) (rnd.nextDouble() * 20 * MINUTE), 10));
                }
            }
            if (rnd.nextDouble() < 0.6) {
                long t = T0 + (long) (rnd.nextDouble() * 2 * HOUR);
                timedTriggers.add(new Object[] {t, DecisionFixtures.trigger("t" + n++, "cart_abandoned", "u" + u, t)});
                if (rnd.nextDouble() < 0.25) {
                    events.add(DecisionFixtures.order("u" + u, t + (long) (rnd.nextDouble() * 8 * MINUTE),
                            Math.round(rnd.nextDouble() * 9999) / 100.0));
                }
            }
            if (u % 40 == 0) {
                long t = T0 + (long) (rnd.nextDouble() * 2 * HOUR);
                timedRequests.add(new Object[] {t, DecisionFixtures.request("r" + n++, "u" + u, "no-such-experiment", t)});
            }
        }
        timedRequests.sort(Comparator.comparingLong(a -> (Long) a[0]));
        timedTriggers.sort(Comparator.comparingLong(a -> (Long) a[0]));
        timedRequests.forEach(a -> requests.add((String) a[1]));
        timedTriggers.forEach(a -> triggers.add((String) a[1]));
        requests.add(500, "not json at all");
        // Far ahead of any broker's clock: Kafka 4 rejects record timestamps over an hour in the future,
        // so the sinks must not copy event time into the record timestamp.
        requests.add(DecisionFixtures.request("far-future", "u1", "ab", java.time.Instant.parse("2199-01-01T00:00:00Z").toEpochMilli()));
        events.sort(Comparator.comparing(l -> json(l).get("timestamp").asText()));
        for (int u = 0; u < USERS; u += 13) {
            control.add(DecisionFixtures.consent("u" + u, "opt_out", T0 + 30 * MINUTE));
        }
        for (int u = 5; u < USERS; u += 31) {
            control.add(DecisionFixtures.deleteUser("u" + u, T0 + 45 * MINUTE));
        }
        control.sort(Comparator.comparing(l -> json(l).path("timestamp").asText()));
        experiments = List.of(DecisionJobFileITCase.AB_V1, DecisionJobFileITCase.BANDIT, DecisionJobFileITCase.REVENUE,
                DecisionJobFileITCase.AB_V2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    static JsonNode json(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Configuration conf(String checkpoints) {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "150ms");
        conf.setString("execution.checkpointing.dir", dir.resolve(checkpoints).toUri().toString());
        conf.setString("parallelism.default", String.valueOf(MiniClusters.PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        conf.setString(DecisionOptions.POSTERIOR_INTERVAL.key(), INTERVAL);
        // The bounded replay must not depend on wall-clock idleness.
        conf.setString(DecisionOptions.EXPERIMENTS_IDLENESS.key(), "10min");
        // The 2199 request must reach the sinks (what is tested is their record timestamps), so the
        // future rule (default 1 h, which would dead-letter it as future_timestamp) is set out of reach.
        conf.setString(EventTimeOptions.MAX_FUTURE_SKEW.key(), FAR);
        return conf;
    }

    /** The file mode's decisions over the same lines (the reference). */
    static List<String> fileDecisions() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        DecisionFiles files = new DecisionFiles()
                .with(DecisionLineParser.REQUESTS, write(in.resolve("requests.jsonl"), requests))
                .with(DecisionLineParser.TRIGGERS, write(in.resolve("triggers.jsonl"), triggers))
                .with(DecisionLineParser.EXPERIMENTS, write(in.resolve("experiments.jsonl"), experiments))
                .with(DecisionLineParser.EVENTS, write(in.resolve("events.jsonl"), events))
                .with(DecisionLineParser.CONTROL, write(in.resolve("control.jsonl"), control));
        DecisionFileOutputs out = new DecisionFileOutputs(dir.resolve("file/decisions.jsonl"), null);
        InProcessLoop loop = new InProcessLoop();
        try {
            new DecisionJob(files, out, loop, conf("file-checkpoints")).run(StreamExecutionEnvironment.getExecutionEnvironment(conf("file-checkpoints")));
        } finally {
            loop.close();
        }
        out.finish();
        return Files.readAllLines(out.decisions());
    }

    static Path write(Path p, List<String> lines) throws Exception {
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    /** Fails the job once, after a checkpoint has completed and some decisions have passed. */
    static final class FailOnce extends RichMapFunction<DecisionRecord, DecisionRecord> implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean FAILED = new AtomicBoolean();
        private transient boolean checkpointed;
        private transient long seen;

        @Override
        public DecisionRecord map(DecisionRecord r) {
            if (++seen > 400 && checkpointed && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("forced failure after " + seen + " decisions");
            }
            return r;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }

    static List<String[]> keyed(List<String> lines, String keyField) {
        List<String[]> out = new ArrayList<>();
        for (String l : lines) {
            JsonNode n = null;
            try {
                n = MAPPER.readTree(l);
            } catch (Exception e) {
                // a bad line: no key
            }
            out.add(new String[] {n == null || n.path(keyField).isMissingNode() ? null : n.path(keyField).asText(), l});
        }
        return out;
    }

    static DecisionKafkaSettings settings() {
        DecisionKafkaSettings k = new DecisionKafkaSettings();
        k.bootstrapServers = kafka.bootstrapServers();
        k.requestsTopic = "eo.requests";
        k.triggersTopic = "eo.triggers";
        k.experimentsTopic = "eo.experiments";
        k.eventsTopic = "eo.events";
        k.controlTopic = "eo.control";
        k.decisionsTopic = "eo.decisions";
        k.deadLetterTopic = "eo.dead-letters";
        k.loopTopic = "eo.posteriors";
        k.groupId = "eo";
        k.startingOffsets = "earliest";
        k.bounded = true;
        k.transactionalIdPrefix = "eo";
        k.deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
        return k;
    }

    static synchronized void produceInputs() throws Exception {
        if (produced) {
            return;
        }
        DecisionKafkaSettings k = settings();
        for (String t : List.of(k.requestsTopic, k.triggersTopic, k.experimentsTopic, k.eventsTopic, k.controlTopic)) {
            kafka.createTopic(t, 1);
        }
        kafka.produce(k.requestsTopic, keyed(requests, "user_id"));
        kafka.produce(k.triggersTopic, keyed(triggers, "user_id"));
        kafka.produce(k.experimentsTopic, keyed(experiments, "experiment_id"));
        kafka.produce(k.eventsTopic, keyed(events, "userId"));
        kafka.produce(k.controlTopic, keyed(control, "user_id"));
        produced = true;
    }

    static boolean produced;
    static List<String> fileDecisions;

    static synchronized List<String> expected() throws Exception {
        if (fileDecisions == null) {
            fileDecisions = fileDecisions();
        }
        return fileDecisions;
    }

    /** The decisions in the topic, sorted as the file mode writes them; fails on a duplicate decision_id. */
    static List<String> decisionsIn(String topic) {
        Map<String, Integer> perId = new HashMap<>();
        List<String> got = new ArrayList<>();
        for (ConsumerRecord<String, String> r : kafka.readCommitted(topic)) {
            JsonNode d = json(r.value());
            perId.merge(d.get("decision_id").asText(), 1, Integer::sum);
            assertThat(r.key()).isEqualTo(d.get("user_id").asText());
            got.add(r.value());
        }
        assertThat(perId.values()).as("no duplicate decision_id").allMatch(c -> c == 1);
        got.sort(Comparator.comparing((String l) -> json(l).get("timestamp").asText()).thenComparing(l -> json(l).get("decision_id").asText()));
        return got;
    }

    @Test
    void everyRequestAnsweredExactlyOnceThroughAFailureAndTheSameDecisionsAsTheFileMode() throws Exception {
        produceInputs();
        DecisionKafkaSettings k = settings();
        kafka.createTopic(k.decisionsTopic, 2);
        kafka.createTopic(k.deadLetterTopic, 1);

        Configuration conf = conf("kafka-checkpoints");
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "3");
        conf.setString("restart-strategy.fixed-delay.delay", "200ms");
        KafkaDecisionOutputs sinks = new KafkaDecisionOutputs(k);
        DecisionJob.Outputs failing = streams -> sinks.write(new DecisionJob.Streams(
                streams.decisions.map(new FailOnce()).name("fail once").uid("fail-once"), streams.deadLetters, streams.posteriors));
        FailOnce.FAILED.set(false);
        new DecisionJob(new KafkaDecisionInputs(k, conf), failing, new KafkaPosteriorLoop(k), conf)
                .run(StreamExecutionEnvironment.getExecutionEnvironment(conf));
        assertThat(FailOnce.FAILED).as("the job failed once and restarted").isTrue();

        List<String> got = decisionsIn(k.decisionsTopic);
        List<String> expected = expected();

        Set<String> requestIds = new HashSet<>();
        for (String l : requests) {
            if (l.startsWith("{")) {
                requestIds.add(json(l).get("request_id").asText());
            }
        }
        Set<String> answered = new HashSet<>();
        got.forEach(l -> answered.add(json(l).get("request_id").asText()));
        assertThat(answered).as("every request answered").containsAll(requestIds);

        assertThat(expected).hasSizeGreaterThan(2000);
        assertThat(got).as("the file mode's decisions").isEqualTo(expected);
        assertThat(got).anyMatch(l -> l.contains("\"policy\":\"thompson\"") && l.contains("\"reason\":\"assigned\""));

        List<ConsumerRecord<String, String>> dead = kafka.readCommitted(k.deadLetterTopic);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).contains("not json at all").contains("malformed_json");

        // The loop went through the topic: posteriors per experiment, markers, and the end, all committed.
        List<ConsumerRecord<String, String>> loop = kafka.readCommitted(k.loopTopic);
        // Keys lead with the job instance's id (the run), so several jobs can share a loop topic.
        assertThat(loop).anyMatch(r -> (k.instanceId + "\u0000recovery").equals(r.key()) && r.value().contains("\"kind\":\"posterior\""));
        assertThat(loop.get(loop.size() - 1).key()).isEqualTo(k.instanceId + "\u0000" + LoopMessages.END_KEY);
    }

    @Test
    void theCommandLineAtLeastOnceGivesTheSameDecisions() throws Exception {
        produceInputs();
        kafka.createTopic("cli.decisions", 2);
        CliRun run = CliRun.of(List.of("decide",
                "-D", "parallelism.default=2",
                "-D", "state.backend.type=rocksdb",
                "-D", "execution.checkpointing.interval=1s",
                "-D", "execution.checkpointing.dir=" + dir.resolve("cli-checkpoints").toUri(),
                "-D", DecisionOptions.POSTERIOR_INTERVAL.key() + "=" + INTERVAL,
                "-D", DecisionOptions.EXPERIMENTS_IDLENESS.key() + "=10min",
                "-D", EventTimeOptions.MAX_FUTURE_SKEW.key() + "=" + FAR,
                "--bootstrap-servers", kafka.bootstrapServers(),
                "--requests-topic", "eo.requests", "--triggers-topic", "eo.triggers", "--experiments-topic", "eo.experiments",
                "--events-topic", "eo.events", "--control-topic", "eo.control",
                "--decisions-topic", "cli.decisions", "--dead-letter-topic", "cli.dead-letters", "--loop-topic", "cli.posteriors",
                "--group-id", "cli", "--starting-offsets", "earliest", "--bounded",
                "--delivery-guarantee", "at-least-once"));
        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out).contains("dead-lettered:  1").contains("(at-least-once)");
        assertThat(decisionsIn("cli.decisions")).isEqualTo(expected());

        CliRun bad = CliRun.of(List.of("decide", "--bootstrap-servers", kafka.bootstrapServers(), "--delivery-guarantee", "twice"));
        assertThat(bad.exitCode).isEqualTo(2);
        assertThat(bad.err).contains("--delivery-guarantee must be exactly-once or at-least-once, was twice");
        Path noCheckpointsConf = Files.createDirectories(dir.resolve("no-checkpoints"));
        Files.writeString(noCheckpointsConf.resolve("config.yaml"), "parallelism.default: 1\n");
        CliRun noCheckpoints = CliRun.of(List.of("decide", "--bootstrap-servers", kafka.bootstrapServers(),
                "--flink-conf", noCheckpointsConf.toString()));
        assertThat(noCheckpoints.exitCode).isEqualTo(2);
        assertThat(noCheckpoints.err).contains("exactly-once needs checkpoints");
        CliRun missing = CliRun.of(List.of("decide", "--bootstrap-servers", kafka.bootstrapServers(), "--events-topic", "no.such.topic",
                "--requests-topic", "eo.requests", "--triggers-topic", "", "--experiments-topic", "eo.experiments", "--control-topic", "",
                "--delivery-guarantee", "at-least-once"));
        assertThat(missing.exitCode).isNotZero();
        assertThat(missing.err).contains("Kafka topic no.such.topic (events) does not exist");
    }

    /**
     * Two decision jobs at once on one broker with the same options (transactional-id prefix, loop
     * topic), as a bounded replay started beside a running job would be; only their decisions topics
     * differ, so each can be checked. Before instance ids both jobs' sinks used the transactional
     * ids {@code eo-decisions-<subtask>-<checkpoint>}: on separate TaskManagers the second job's
     * producers fence the first's (and its start-up abort of "lingering" transactions aborts the
     * first's open ones); in one JVM, as here, the connector refuses the duplicate prefix at once
     * ("Found duplicate transactionalIdPrefix"; seen with both jobs given one instance id). With no
     * restarts allowed, either fails a job. Now each job's ids hold its instance id and
     * each reads only its own run's loop messages: both finish with exactly the file mode's
     * decisions.
     */
    @Test
    void twoJobsWithTheSameOptionsOnOneBrokerNeitherFenceNorReadEachOther() throws Exception {
        produceInputs();
        DecisionKafkaSettings a = twin("a");
        DecisionKafkaSettings b = twin("b");
        assertThat(a.instanceId).isNotEqualTo(b.instanceId);
        Configuration confA = conf("twin-a-checkpoints");
        Configuration confB = conf("twin-b-checkpoints");
        confA.setString("restart-strategy.type", "none");
        confB.setString("restart-strategy.type", "none");
        JobClient first = new DecisionJob(new KafkaDecisionInputs(a, confA), new KafkaDecisionOutputs(a), new KafkaPosteriorLoop(a), confA)
                .start(StreamExecutionEnvironment.getExecutionEnvironment(confA));
        new DecisionJob(new KafkaDecisionInputs(b, confB), new KafkaDecisionOutputs(b), new KafkaPosteriorLoop(b), confB)
                .run(StreamExecutionEnvironment.getExecutionEnvironment(confB));
        first.getJobExecutionResult().get();

        assertThat(decisionsIn(a.decisionsTopic)).as("job a").isEqualTo(expected());
        assertThat(decisionsIn(b.decisionsTopic)).as("job b").isEqualTo(expected());
        // Both wrote to the one loop topic, each under its own run.
        List<ConsumerRecord<String, String>> loop = kafka.readCommitted(a.loopTopic);
        assertThat(loop).anyMatch(r -> r.key().startsWith(a.instanceId + "\u0000"));
        assertThat(loop).anyMatch(r -> r.key().startsWith(b.instanceId + "\u0000"));
    }

    private static DecisionKafkaSettings twin(String name) throws Exception {
        DecisionKafkaSettings k = settings();
        k.decisionsTopic = "twin-" + name + ".decisions";
        k.deadLetterTopic = "twin-" + name + ".dead-letters";
        k.loopTopic = "twins.posteriors";
        k.groupId = "twin-" + name;
        kafka.createTopic(k.decisionsTopic, 2);
        kafka.createTopic(k.deadLetterTopic, 1);
        return k;
    }
}
