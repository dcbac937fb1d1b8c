package io.liftstream.jobs.cli;

import io.liftstream.jobs.env.Environments;
import io.liftstream.jobs.input.InputSplitter;
import io.liftstream.jobs.results.DefinitionSplitter;
import io.liftstream.jobs.results.ExperimentResultsFunction;
import io.liftstream.jobs.results.ResultsFileOutputs;
import io.liftstream.jobs.results.ResultsFiles;
import io.liftstream.jobs.results.ResultsJob;
import io.liftstream.jobs.results.ResultsKafkaInputs;
import io.liftstream.jobs.results.ResultsKafkaOutputs;
import io.liftstream.jobs.results.ResultsKafkaSettings;
import io.liftstream.jobs.results.ResultsSplitter;
import io.liftstream.jobs.results.UserResultsFunction;

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
 * {@code liftstream results}: live experiment results from decisions, outcome events and experiment
 * definitions; files (a bounded run) or Kafka. Inputs and outputs are chosen independently.
 */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = {
            "Compute always-valid experiment results from decisions (exposures), events (outcomes) and definitions.",
            "Files: a bounded run; the last result of each experiment reflects all input.",
            "Kafka: with --bootstrap-servers, reads the three topics and writes results exactly once."
        })
public final class ResultsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;
    @Mixin ExactlyOnceOptions exactlyOnce;

    @Option(names = "--decisions", paramLabel = "FILE", description = "Decision records (JSON lines, file or directory).")
    String decisions;

    @Option(names = "--events", paramLabel = "FILE", description = "Segment track events (JSON lines, file or directory).")
    String events;

    @Option(names = "--experiments", paramLabel = "FILE", description = "Experiment definitions (JSON lines, file or directory).")
    String experiments;

    @Option(names = "--output", paramLabel = "FILE", description = "Results as JSON lines, ordered by as_of, experiment_id, sequence.")
    Path output;

    @Option(names = "--dead-letter", paramLabel = "FILE",
            description = "Refused and late lines with their reason (default: <output>.dead-letters.jsonl).")
    Path deadLetter;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--decisions-topic", defaultValue = "liftstream.decisions", description = "Default: ${DEFAULT-VALUE}.")
    String decisionsTopic;

    @Option(names = "--events-topic", defaultValue = "liftstream.events", description = "Default: ${DEFAULT-VALUE}.")
    String eventsTopic;

    @Option(names = "--experiments-topic", defaultValue = "liftstream.experiments",
            description = "Read from its beginning. Default: ${DEFAULT-VALUE}.")
    String experimentsTopic;

    @Option(names = "--results-topic", defaultValue = "liftstream.experiment-results", description = "Default: ${DEFAULT-VALUE}.")
    String resultsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "liftstream.experiment-results.dead-letters", description = "Default: ${DEFAULT-VALUE}.")
    String deadLetterTopic;

    @Option(names = "--group-id", defaultValue = "liftstream-results",
            description = "Consumer group prefix (one group per input topic: <id>-decisions, -events, -experiments). Default: ${DEFAULT-VALUE}.")
    String groupId;

    @Option(names = "--starting-offsets", converter = OptionValues.StartingOffsets.class, defaultValue = "committed",
            description = "Decisions and events: earliest, latest or committed (else earliest). Default: ${DEFAULT-VALUE}.")
    String startingOffsets;

    @Option(names = "--transactional-id-prefix", defaultValue = "liftstream-results",
            description = "Prefix of the Kafka transactional ids, which are <prefix>-<instance-id>-<output>-<subtask>-<n>. Default: ${DEFAULT-VALUE}.")
    String transactionalIdPrefix;

    @Option(names = "--bounded", description = "Stop at the input topics' offsets that are latest at start (a bounded replay).")
    boolean bounded;

    @Override
    public Integer call() throws Exception {
        boolean files = decisions != null || events != null || experiments != null;
        if (files && (decisions == null || events == null || experiments == null)) {
            throw new ParameterException(spec.commandLine(), "give all of --decisions, --events and --experiments, or none (Kafka)");
        }
        if (!files && bootstrapServers == null) {
            throw new ParameterException(spec.commandLine(),
                    "give --decisions FILE --events FILE --experiments FILE, or --bootstrap-servers to read Kafka");
        }
        if (output == null && bootstrapServers == null) {
            throw new ParameterException(spec.commandLine(), "give --output FILE, or --bootstrap-servers to write Kafka");
        }
        ResultsFileOutputs fileOutputs = output != null ? new ResultsFileOutputs(output, deadLetter) : null;
        PathChecks paths = new PathChecks().inputFileOrDir("--decisions", decisions).inputFileOrDir("--events", events)
                .inputFileOrDir("--experiments", experiments);
        if (fileOutputs != null) {
            paths.outputFile("--output", fileOutputs.results())
                    .outputFile(deadLetter != null ? "--dead-letter" : "--dead-letter (default)", fileOutputs.deadLetters());
        }
        paths.check(); // first: a wrong path costs one line and no Flink class loading
        Configuration conf = flink.configuration();
        ResultsKafkaSettings kafka = kafkaSettings();
        if (output == null) {
            kafka.transactionTimeout = exactlyOnce.transactionTimeout(spec, conf);
            kafka.instanceId = exactlyOnce.instanceId(spec);
        }
        // A bounded run (file inputs, or --bounded) that reads or writes Kafka: fail fast if no broker answers.
        boolean usesKafka = bootstrapServers != null && (!files || output == null);
        KafkaReachability.requireIfBounded(usesKafka ? bootstrapServers : null, bounded || files, conf);
        if (output == null) {
            ExactlyOnceOptions.announce(spec, kafka.transactionalIdPrefix, kafka.instanceId);
        }
        ResultsJob.Inputs in = files ? new ResultsFiles(decisions, events, experiments, conf) : new ResultsKafkaInputs(kafka, conf);
        ResultsJob.Output out = fileOutputs != null ? fileOutputs : new ResultsKafkaOutputs(kafka);

        JobExecutionResult result = new ResultsJob(in, out, conf).run(Environments.create(conf));
        if (fileOutputs != null) {
            fileOutputs.finish();
        }
        java.io.PrintWriter printed = spec.commandLine().getOut();
        printed.printf("exposures:          %d%n", count(result, ResultsSplitter.EXPOSURES));
        printed.printf("outcome events:     %d%n", count(result, ResultsSplitter.OUTCOMES));
        printed.printf("definitions:        %d%n", count(result, DefinitionSplitter.DEFINITIONS));
        printed.printf("dead-lettered:      %d (late: %d)%n", count(result, InputSplitter.DEAD), count(result, InputSplitter.LATE));
        printed.printf("unknown experiment: %d, unknown arm: %d%n", count(result, UserResultsFunction.UNKNOWN_EXPERIMENT),
                count(result, UserResultsFunction.UNKNOWN_ARM));
        printed.printf("results:            %d%n", count(result, ExperimentResultsFunction.RESULTS));
        if (fileOutputs != null) {
            printed.println("results written to " + fileOutputs.results());
            printed.println("dead letters to " + fileOutputs.deadLetters());
        }
        printed.flush();
        return 0;
    }

    private static long count(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private ResultsKafkaSettings kafkaSettings() {
        ResultsKafkaSettings k = new ResultsKafkaSettings();
        k.bootstrapServers = bootstrapServers;
        k.decisionsTopic = decisionsTopic;
        k.eventsTopic = eventsTopic;
        k.experimentsTopic = experimentsTopic;
        k.resultsTopic = resultsTopic;
        k.deadLetterTopic = deadLetterTopic;
        k.groupId = groupId;
        k.startingOffsets = startingOffsets;
        k.bounded = bounded;
        k.transactionalIdPrefix = transactionalIdPrefix;
        return k;
    }
}
