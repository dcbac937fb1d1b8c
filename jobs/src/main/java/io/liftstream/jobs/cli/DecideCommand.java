package io.liftstream.jobs.cli;

import io.liftstream.experiments.decision.DecisionReason;
import io.liftstream.jobs.decisions.DecisionCounter;
import io.liftstream.jobs.decisions.DecisionFileOutputs;
import io.liftstream.jobs.decisions.DecisionFiles;
import io.liftstream.jobs.decisions.DecisionJob;
import io.liftstream.jobs.decisions.DecisionLineParser;
import io.liftstream.jobs.decisions.DecisionSplitter;
import io.liftstream.jobs.decisions.InProcessLoop;
import io.liftstream.jobs.decisions.kafka.DecisionKafkaSettings;
import io.liftstream.jobs.decisions.kafka.KafkaDecisionInputs;
import io.liftstream.jobs.decisions.kafka.KafkaDecisionOutputs;
import io.liftstream.jobs.decisions.kafka.KafkaPosteriorLoop;
import io.liftstream.jobs.env.Environments;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code liftstream decide}: the decision job over files (a bounded and deterministic run, the
 * posterior loop in process) or, with {@code --bootstrap-servers}, over Kafka topics (the posterior
 * loop over a Kafka topic; exactly once by default).
 */
@Command(name = "decide", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Answer decision requests and triggers with sticky A/B, holdout and bandit decisions.",
            "Files: bounded; the same inputs give byte-identical decisions. Streams are joined in event time.",
            "Kafka: with --bootstrap-servers, reads the topics and writes decisions exactly once (or at least once).",
            "Options: -D liftstream.decide.posterior-interval=1s, liftstream.decide.state-retention=30d,",
            "liftstream.decide.global-holdout-pct=0, liftstream.decide.profile-cache=10000,",
            "liftstream.events.out-of-orderness=10s,",
            "Kafka: liftstream.events.source-idleness=30s, liftstream.decide.experiments-idleness=1s."
        })
public final class DecideCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Mixin ExactlyOnceOptions exactlyOnce;

    @Option(names = "--requests", paramLabel = "FILE",
            description = "Decision requests {request_id, user_id, experiment_id, timestamp, context}; trigger records are accepted too.")
    Path requests;

    @Option(names = "--triggers", paramLabel = "FILE",
            description = "Trigger records of `liftstream triggers`: each is a request for every experiment whose trigger is its type.")
    Path triggers;

    @Option(names = "--experiments", paramLabel = "FILE",
            description = "Experiment definitions, one JSON object a line: a changelog keyed by experiment_id.")
    Path experiments;

    @Option(names = "--events", paramLabel = "FILE", description = "Segment track events: outcomes for reward attribution.")
    Path events;

    @Option(names = "--control", paramLabel = "FILE", description = "Consent, suppression and delete_user events.")
    Path control;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Decisions as JSON lines, ordered by timestamp then decision_id.")
    Path output;

    @Option(names = "--dead-letter", paramLabel = "FILE",
            description = "Rejected lines with stream and reason (default: <output>.dead-letters.jsonl).")
    Path deadLetter;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka brokers: read and write the topics below instead of files.")
    String bootstrapServers;

    @Option(names = "--requests-topic", defaultValue = "liftstream.decision-requests",
            description = "Decision requests. An input topic given as '' is not read. Default: ${DEFAULT-VALUE}.")
    String requestsTopic;

    @Option(names = "--triggers-topic", defaultValue = "liftstream.triggers", description = "Triggers of the trigger job. Default: ${DEFAULT-VALUE}.")
    String triggersTopic;

    @Option(names = "--experiments-topic", defaultValue = "liftstream.experiments",
            description = "Experiment definitions keyed by experiment_id (the SQL catalog's upsert-kafka table). Default: ${DEFAULT-VALUE}.")
    String experimentsTopic;

    @Option(names = "--events-topic", defaultValue = "liftstream.events", description = "Segment track events (outcomes). Default: ${DEFAULT-VALUE}.")
    String eventsTopic;

    @Option(names = "--control-topic", defaultValue = "liftstream.control", description = "Consent, suppression, delete_user. Default: ${DEFAULT-VALUE}.")
    String controlTopic;

    @Option(names = "--decisions-topic", defaultValue = "liftstream.decisions", description = "Decisions, keyed by user_id. Default: ${DEFAULT-VALUE}.")
    String decisionsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "liftstream.decide.dead-letters", description = "Rejected input lines. Default: ${DEFAULT-VALUE}.")
    String deadLetterTopic;

    @Option(names = "--loop-topic", defaultValue = "liftstream.decide.posteriors",
            description = "The posterior loop (created if absent: one partition, compacted); jobs may share it (each reads its own run). Default: ${DEFAULT-VALUE}.")
    String loopTopic;

    @Option(names = "--group-id", defaultValue = "liftstream-decide", description = "Consumer group. Default: ${DEFAULT-VALUE}.")
    String groupId;

    @Option(names = "--starting-offsets", converter = OptionValues.StartingOffsets.class, defaultValue = "committed",
            description = "earliest, latest or committed (committed offsets, else earliest). Default: ${DEFAULT-VALUE}.")
    String startingOffsets;

    @Option(names = "--bounded", description = "Stop at the input topics' offsets that are latest at start (a bounded replay).")
    boolean bounded;

    @Option(names = "--transactional-id-prefix", defaultValue = "liftstream-decide",
            description = "Prefix of the Kafka transactional ids, which are <prefix>-<instance-id>-<output>-<subtask>-<n>. Default: ${DEFAULT-VALUE}.")
    String transactionalIdPrefix;

    @Option(names = "--delivery-guarantee", defaultValue = "exactly-once", paramLabel = "exactly-once|at-least-once",
            description = "exactly-once: transactional, decisions visible to read_committed consumers at each checkpoint; "
                    + "at-least-once: visible at once, duplicates (same decision_id) possible after a restart. Default: ${DEFAULT-VALUE}.")
    String deliveryGuarantee;

    @Override
    public Integer call() throws Exception {
        if (bootstrapServers != null) {
            return runKafka();
        }
        if (experiments == null) {
            throw new ParameterException(spec.commandLine(), "give --experiments FILE, or --bootstrap-servers to read Kafka");
        }
        if (output == null) {
            throw new ParameterException(spec.commandLine(), "give --output FILE, or --bootstrap-servers to write Kafka");
        }
        if (requests == null && triggers == null) {
            throw new ParameterException(spec.commandLine(), "give --requests FILE and/or --triggers FILE");
        }
        DecisionFileOutputs out = new DecisionFileOutputs(output, deadLetter);
        new PathChecks().inputFileOrDir("--requests", str(requests)).inputFileOrDir("--triggers", str(triggers))
                .inputFileOrDir("--experiments", str(experiments)).inputFileOrDir("--events", str(events))
                .inputFileOrDir("--control", str(control))
                .outputFile("--output", out.decisions())
                .outputFile(deadLetter != null ? "--dead-letter" : "--dead-letter (default)", out.deadLetters())
                .check(); // first: a wrong path costs one line and no Flink class loading
        Configuration conf = flink.configuration();
        DecisionFiles in = new DecisionFiles(conf)
                .with(DecisionLineParser.REQUESTS, requests)
                .with(DecisionLineParser.TRIGGERS, triggers)
                .with(DecisionLineParser.EXPERIMENTS, experiments)
                .with(DecisionLineParser.EVENTS, events)
                .with(DecisionLineParser.CONTROL, control);
        InProcessLoop loop = new InProcessLoop();
        JobExecutionResult result;
        try {
            result = new DecisionJob(in, out, loop, conf).run(Environments.create(conf));
        } finally {
            loop.close();
        }
        out.finish();
        PrintWriter w = spec.commandLine().getOut();
        printCounts(w, result);
        w.println("decisions written to " + out.decisions());
        w.println("dead letters to " + out.deadLetters());
        w.flush();
        return 0;
    }

    private static void printCounts(PrintWriter w, JobExecutionResult result) {
        w.printf("lines read:     %d%n", count(result, DecisionSplitter.LINES));
        w.printf("dead-lettered:  %d%n", count(result, DecisionSplitter.DEAD));
        w.printf("late-applied:   %d%n", count(result, DecisionSplitter.LATE_APPLIED));
        long total = 0;
        for (DecisionReason r : DecisionReason.values()) {
            total += count(result, DecisionCounter.name(r));
        }
        w.printf("decisions:      %d%n", total);
        for (DecisionReason r : DecisionReason.values()) {
            w.printf("  %-20s %d%n", r.wireName, count(result, DecisionCounter.name(r)));
        }
    }

    private Integer runKafka() throws Exception {
        for (Object file : new Object[] {requests, triggers, experiments, events, control, output, deadLetter}) {
            if (file != null) {
                throw new ParameterException(spec.commandLine(), "--bootstrap-servers reads and writes Kafka topics; "
                        + "leave out the file options (--requests, --triggers, --experiments, --events, --control, --output, --dead-letter)");
            }
        }
        if (!startingOffsets.equals("earliest") && !startingOffsets.equals("latest") && !startingOffsets.equals("committed")) {
            throw new ParameterException(spec.commandLine(), "--starting-offsets must be earliest, latest or committed, was " + startingOffsets);
        }
        DecisionKafkaSettings k = new DecisionKafkaSettings();
        k.bootstrapServers = bootstrapServers;
        k.requestsTopic = requestsTopic;
        k.triggersTopic = triggersTopic;
        k.experimentsTopic = experimentsTopic;
        k.eventsTopic = eventsTopic;
        k.controlTopic = controlTopic;
        k.decisionsTopic = decisionsTopic;
        k.deadLetterTopic = deadLetterTopic;
        k.loopTopic = loopTopic;
        k.groupId = groupId;
        k.startingOffsets = startingOffsets;
        k.bounded = bounded;
        k.transactionalIdPrefix = transactionalIdPrefix;
        switch (deliveryGuarantee) {
            case "exactly-once":
                k.deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
                break;
            case "at-least-once":
                k.deliveryGuarantee = DeliveryGuarantee.AT_LEAST_ONCE;
                break;
            default:
                throw new ParameterException(spec.commandLine(), "--delivery-guarantee must be exactly-once or at-least-once, was " + deliveryGuarantee);
        }
        if (experimentsTopic.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--experiments-topic must name a topic");
        }
        if (requestsTopic.isEmpty() && triggersTopic.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give --requests-topic and/or --triggers-topic");
        }
        Configuration conf = flink.configuration();
        if (k.deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE && conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "exactly-once needs checkpoints (decisions are committed with them): "
                    + "set execution.checkpointing.interval, or use --delivery-guarantee at-least-once");
        }
        k.instanceId = exactlyOnce.instanceId(spec);
        if (k.deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            k.transactionTimeout = exactlyOnce.transactionTimeout(spec, conf);
        }
        KafkaReachability.requireIfBounded(bootstrapServers, bounded, conf);
        ExactlyOnceOptions.announce(spec, k.transactionalIdPrefix, k.instanceId);
        JobExecutionResult result = new DecisionJob(new KafkaDecisionInputs(k, conf), new KafkaDecisionOutputs(k),
                new KafkaPosteriorLoop(k), conf).run(Environments.create(conf));
        PrintWriter w = spec.commandLine().getOut();
        printCounts(w, result);
        w.println("decisions written to Kafka topic " + k.decisionsTopic + " (" + deliveryGuarantee + "), dead letters to " + k.deadLetterTopic);
        w.flush();
        return 0;
    }

    private static String str(Path p) {
        return p == null ? null : p.toString();
    }

    private static long count(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
