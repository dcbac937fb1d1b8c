package io.liftstream.jobs.results;

import io.liftstream.jobs.env.Environments;
import io.liftstream.jobs.input.SourceActivity;
import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.io.OutputCap;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;

/**
 * The results job: decisions (exposures), outcome events and experiment definitions in; one result
 * stream per experiment out (the JSON of {@code analyze} plus as-of time, conflicts, holdout
 * comparison, SRM and a recommendation), with every refused or late line on a dead-letter output.
 * Inputs and outputs are injected ({@link Inputs}, {@link Output}): files, Kafka or a test's lines.
 *
 * <p>Topology (DESIGN.md has the reasoning):
 * <pre>
 * decisions -> parse, event time -> split ----\
 * events    -> parse, event time -> split -----+-> keyBy user -> UserResultsFunction ("user-results")
 * experiments -> parse, event time -> split --broadcast--^          |  StatsDelta per change
 *                                        \                  DeltaPreAggregator ("delta-pre-aggregator",
 *                                         \                  chained: sums per subtask, flushed per tick)
 *                                          \-- keyBy experiment --> ExperimentResultsFunction ("experiment-results")
 *                                                                  -> results
 * </pre>
 * The per-user function runs in a {@link UserResultsOperator}: event time there follows the exposures
 * and outcomes; definitions (whose timestamps are when they take effect) can hold it back but never
 * move it on their own.
 */
public final class ResultsJob {

    /** The three inputs. */
    public enum Stream {
        DECISIONS("decisions", new DecisionParser()),
        EVENTS("events", new OutcomeParser()),
        EXPERIMENTS("experiments", new DefinitionParser());

        public final String id;
        public final LineParser parser;

        Stream(String id, LineParser parser) {
            this.id = id;
            this.parser = parser;
        }
    }

    /** Where the parsed lines of each input come from; the input assigns timestamps and watermarks. */
    public interface Inputs {
        DataStream<ResultsLine> open(StreamExecutionEnvironment env, Stream stream, WatermarkStrategy<ResultsLine> watermarks);
    }

    /** Where the outputs go. */
    public interface Output {
        void write(Streams streams);
    }

    /** The job's outputs: results, and the dead letters of each input. */
    public static final class Streams {
        public final DataStream<ResultRecord> results;
        public final DataStream<RejectedLine> decisionDeadLetters;
        public final DataStream<RejectedLine> eventDeadLetters;
        public final DataStream<RejectedLine> experimentDeadLetters;
        /** Result records over the 64 KiB {@link OutputCap}, as {@code output_too_large} dead letters. */
        public final DataStream<RejectedLine> oversized;

        Streams(DataStream<ResultRecord> results, DataStream<RejectedLine> decisionDeadLetters,
                DataStream<RejectedLine> eventDeadLetters, DataStream<RejectedLine> experimentDeadLetters,
                DataStream<RejectedLine> oversized) {
            this.results = results;
            this.decisionDeadLetters = decisionDeadLetters;
            this.eventDeadLetters = eventDeadLetters;
            this.experimentDeadLetters = experimentDeadLetters;
            this.oversized = oversized;
        }

        public DataStream<RejectedLine> deadLetters() {
            return decisionDeadLetters.union(eventDeadLetters, experimentDeadLetters, oversized);
        }
    }

    public static final String NAME = "liftstream-results";

    private final Inputs inputs;
    private final Output output;
    private final ReadableConfig config;

    public ResultsJob(Inputs inputs, Output output, ReadableConfig config) {
        this.inputs = inputs;
        this.output = output;
        this.config = config;
    }

    /** The topology from timestamped, watermarked lines; usable without any connector. */
    public static Streams build(DataStream<ResultsLine> decisions, DataStream<ResultsLine> events,
            DataStream<ResultsLine> experiments, ResultsOptions.Settings settings, ReadableConfig config) {
        Duration bound = config.get(EventTimeOptions.OUT_OF_ORDERNESS);
        Duration skew = config.get(EventTimeOptions.MAX_FUTURE_SKEW);
        SingleOutputStreamOperator<ResultsInput> exposures = decisions.transform("split decisions",
                        TypeInformation.of(ResultsInput.class), new ResultsSplitter(ResultsSplitter.EXPOSURES, bound, skew))
                .setParallelism(decisions.getParallelism()).uid("decisions-splitter");
        SingleOutputStreamOperator<ResultsInput> outcomes = events.transform("split events",
                        TypeInformation.of(ResultsInput.class), new ResultsSplitter(ResultsSplitter.OUTCOMES, bound, skew))
                .setParallelism(events.getParallelism()).uid("events-splitter");
        SingleOutputStreamOperator<DefinitionVersion> definitions = experiments.transform("split experiments",
                        TypeInformation.of(DefinitionVersion.class), new DefinitionSplitter(bound, skew))
                .setParallelism(experiments.getParallelism()).uid("experiments-splitter");

        DataStream<StatsDelta> deltas = exposures.union(outcomes)
                .keyBy(new ByUser())
                .connect(definitions.broadcast()) // broadcast state: UserResultsFunction.DEFINITIONS
                .transform("user arms and metric values", TypeInformation.of(StatsDelta.class),
                        new UserResultsOperator(new UserResultsFunction(settings)))
                .uid("user-results")
                .transform("pre-aggregate deltas", TypeInformation.of(StatsDelta.class),
                        new DeltaPreAggregator(settings.cadenceMillis()))
                .uid("delta-pre-aggregator");
        DataStream<ResultRecord> computed = deltas.connect(definitions)
                .keyBy(new DeltaByExperiment(), new DefinitionByExperiment())
                .process(new ExperimentResultsFunction(settings))
                .name("experiment results").uid("experiment-results");
        SingleOutputStreamOperator<ResultRecord> results = OutputCap.apply(computed, "results", r -> r.json);
        return new Streams(results, exposures.getSideOutput(ResultsSplitter.DEAD_LETTERS),
                outcomes.getSideOutput(ResultsSplitter.DEAD_LETTERS), definitions.getSideOutput(ResultsSplitter.DEAD_LETTERS),
                results.getSideOutput(OutputCap.DEAD_LETTERS));
    }

    public static WatermarkStrategy<ResultsLine> watermarks(ReadableConfig config) {
        return SourceActivity.strategy();
    }

    /** Adds the job to {@code env} (validating the options first). */
    public void wire(StreamExecutionEnvironment env) {
        ResultsOptions.Settings settings = ResultsOptions.Settings.from(config);
        Environments.defaultMaxParallelism(env);
        WatermarkStrategy<ResultsLine> w = watermarks(config);
        output.write(build(inputs.open(env, Stream.DECISIONS, w), inputs.open(env, Stream.EVENTS, w),
                inputs.open(env, Stream.EXPERIMENTS, w), settings, config));
    }

    public JobExecutionResult run(StreamExecutionEnvironment env) throws Exception {
        wire(env);
        return env.execute(NAME);
    }

    public static final class ByUser implements KeySelector<ResultsInput, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(ResultsInput in) {
            return in.userId;
        }
    }

    public static final class DeltaByExperiment implements KeySelector<StatsDelta, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(StatsDelta d) {
            return d.experimentId;
        }
    }

    public static final class DefinitionByExperiment implements KeySelector<DefinitionVersion, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(DefinitionVersion v) {
            return v.experimentId;
        }
    }
}
