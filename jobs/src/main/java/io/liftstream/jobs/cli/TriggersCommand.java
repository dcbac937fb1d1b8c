package io.liftstream.jobs.cli;

import io.liftstream.jobs.env.Environments;
import io.liftstream.jobs.io.FileLines;
import io.liftstream.jobs.io.FileOutputs;
import io.liftstream.jobs.io.KafkaLines;
import io.liftstream.jobs.io.KafkaOutputs;
import io.liftstream.jobs.io.KafkaSettings;
import io.liftstream.jobs.triggers.TriggerJob;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code liftstream triggers}: detect behavioural triggers over files (a bounded run) or Kafka. Input
 * and outputs are chosen independently: files with {@code --input}/{@code --output}, else the Kafka
 * topics at {@code --bootstrap-servers}.
 */
@Command(name = "triggers", mixinStandardHelpOptions = true,
        description = {
            "Detect cart_abandoned, checkout_abandoned, browse_abandoned and engagement_spike triggers.",
            "Files: a bounded run; at the end of input, event time advances to the end so pending timeouts fire.",
            "Kafka: with --bootstrap-servers, reads --input-topic and writes the topics exactly once."
        })
public final class TriggersCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Mixin ExactlyOnceOptions exactlyOnce;

    @Option(names = "--input", paramLabel = "FILE_OR_DIR", description = "JSON-lines events (a file, or a directory read in path order).")
    String input;

    @Option(names = "--output", paramLabel = "FILE", description = "Triggers as JSON lines, ordered by event_time then trigger_id.")
    Path output;

    @Option(names = "--dead-letter", paramLabel = "FILE", description = "Rejected lines with their reason (default: <output>.dead-letters.jsonl).")
    Path deadLetter;

    @Option(names = "--late", paramLabel = "FILE", description = "Late events (default: <output>.late.jsonl).")
    Path late;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--input-topic", defaultValue = "liftstream.events", description = "Default: ${DEFAULT-VALUE}.")
    String inputTopic;

    @Option(names = "--triggers-topic", defaultValue = "liftstream.triggers", description = "Default: ${DEFAULT-VALUE}.")
    String triggersTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "liftstream.dead-letters", description = "Default: ${DEFAULT-VALUE}.")
    String deadLetterTopic;

    @Option(names = "--late-topic", defaultValue = "liftstream.late-events", description = "Default: ${DEFAULT-VALUE}.")
    String lateTopic;

    @Option(names = "--group-id", defaultValue = "liftstream-triggers", description = "Consumer group. Default: ${DEFAULT-VALUE}.")
    String groupId;

    @Option(names = "--starting-offsets", converter = OptionValues.StartingOffsets.class, defaultValue = "committed",
            description = "earliest, latest or committed (committed offsets, else earliest). Default: ${DEFAULT-VALUE}.")
    String startingOffsets;

    @Option(names = "--transactional-id-prefix", defaultValue = "liftstream-triggers",
            description = "Prefix of the Kafka transactional ids, which are <prefix>-<instance-id>-<output>-<subtask>-<n>. Default: ${DEFAULT-VALUE}.")
    String transactionalIdPrefix;

    @Option(names = "--bounded", description = "Stop at the input topic's offsets that are latest at start (a bounded replay).")
    boolean bounded;

    @Override
    public Integer call() throws Exception {
        if (input == null && bootstrapServers == null) {
            throw new ParameterException(spec.commandLine(), "give --input FILE_OR_DIR, or --bootstrap-servers to read Kafka");
        }
        if (output == null && bootstrapServers == null) {
            throw new ParameterException(spec.commandLine(), "give --output FILE, or --bootstrap-servers to write Kafka");
        }
        FileOutputs files = output != null ? new FileOutputs(output, deadLetter, late) : null;
        PathChecks paths = new PathChecks().inputFileOrDir("--input", input);
        if (files != null) {
            paths.outputFile("--output", files.triggers())
                    .outputFile(deadLetter != null ? "--dead-letter" : "--dead-letter (default)", files.deadLetters())
                    .outputFile(late != null ? "--late" : "--late (default)", files.lateEvents());
        }
        paths.check(); // first: a wrong path costs one line and no Flink class loading
        Configuration conf = flink.configuration();
        KafkaSettings kafka = kafkaSettings();
        if (output == null) {
            kafka.transactionTimeout = exactlyOnce.transactionTimeout(spec, conf);
            kafka.instanceId = exactlyOnce.instanceId(spec);
        }
        // A bounded run (a file input, or --bounded) that reads or writes Kafka: fail fast if no broker answers.
        boolean usesKafka = bootstrapServers != null && (input == null || output == null);
        KafkaReachability.requireIfBounded(usesKafka ? bootstrapServers : null, bounded || input != null, conf);
        if (output == null) {
            ExactlyOnceOptions.announce(spec, kafka.transactionalIdPrefix, kafka.instanceId);
        }
        TriggerJob.Input in = input != null ? new FileLines(input, conf) : new KafkaLines(kafka, conf);
        TriggerJob.Output out = files != null ? files : new KafkaOutputs(kafka);

        JobExecutionResult result = new TriggerJob(in, out, conf).run(Environments.create(conf));
        if (files != null) {
            files.finish();
        }
        RunSummary summary = new RunSummary(result::getAccumulatorResult);
        summary.print(System.out);
        if (files != null) {
            System.out.println("triggers written to " + files.triggers());
            System.out.println("dead letters to " + files.deadLetters() + ", late events to " + files.lateEvents());
        }
        return 0;
    }

    private KafkaSettings kafkaSettings() {
        KafkaSettings k = new KafkaSettings();
        k.bootstrapServers = bootstrapServers;
        k.inputTopic = inputTopic;
        k.triggersTopic = triggersTopic;
        k.deadLetterTopic = deadLetterTopic;
        k.lateTopic = lateTopic;
        k.groupId = groupId;
        k.startingOffsets = startingOffsets;
        k.bounded = bounded;
        k.transactionalIdPrefix = transactionalIdPrefix;
        return k;
    }
}
