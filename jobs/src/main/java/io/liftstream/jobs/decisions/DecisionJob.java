package io.liftstream.jobs.decisions;

import io.liftstream.jobs.env.Environments;
import io.liftstream.jobs.io.OutputCap;
import io.liftstream.jobs.input.SourceActivity;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.ArrayList;
import java.util.List;

/**
 * The decision job: decision requests (and triggers), experiment definitions, outcome events and
 * control events in; decisions and dead letters out; rewards flow back to the bandit posteriors
 * through an external loop. Sources, sinks and the loop are injected ({@link Inputs}, {@link
 * Outputs}, {@link Loop}), so the same topology runs over files, Kafka or a test's collections.
 *
 * <p>Topology (uids in brackets):
 * <pre>
 *  requests ─┐ (each: source → parse → event time → {@link DecisionSplitter} [decide-split-STREAM])
 *  triggers ─┤
 *  events ───┼─ union ─ keyBy user ─┐
 *  control ──┘                      ├─ {@link GatedDecisionOperator}/{@link DecisionFunction} [decide] ─ {@link DecisionCounter} [decision-counter] → decisions
 *  experiments ─ union ─ broadcast ─┘        │ reward deltas + progress (side output, to one subtask)
 *  loop.subscribe ─┘                         └─ {@link PosteriorAggregator} [posterior-aggregator] → loop.publish
 * </pre>
 * The loop edge (aggregator → decision operator) leaves the job and comes back through {@link Loop}:
 * Flink 2 has no iterations. DESIGN.md ("The decision job") explains the protocol that makes it
 * deterministic and deadlock-free.
 */
public final class DecisionJob {
    public static final String NAME = "liftstream-decide";

    /** The input streams, by their names in {@link DecisionLineParser}. */
    public static final List<String> KEYED_STREAMS = List.of(
            DecisionLineParser.REQUESTS, DecisionLineParser.TRIGGERS, DecisionLineParser.EVENTS, DecisionLineParser.CONTROL);

    /** Where each input stream's lines come from, parsed with {@link DecisionLineParser}. */
    public interface Inputs {
        /** Whether the stream is given (experiments must be). */
        boolean has(String stream);

        /** The stream's parsed lines with timestamps and watermarks from {@code watermarks}. */
        DataStream<DecisionLine> open(StreamExecutionEnvironment env, String stream, WatermarkStrategy<DecisionLine> watermarks);
    }

    /** Where decisions and dead letters go. */
    public interface Outputs {
        void write(Streams streams);
    }

    /**
     * The external edge of the posterior loop: {@link #publish} takes the aggregator's messages (in
     * order: posterior updates, then the marker that covers them), {@link #subscribe} delivers them back,
     * in the same order, with the maximum watermark (progress travels in-band as markers). An
     * implementation must deliver what was published before a checkpoint's aggregator snapshot to a
     * job restored from that checkpoint. It may also deliver, after those, what the failed attempt
     * published later (duplicates are idempotent: posteriors replace the one with the same boundary,
     * markers only rise). In-process: {@link InProcessLoop} (delivers exactly that); Kafka: {@link
     * io.liftstream.jobs.decisions.kafka.KafkaPosteriorLoop}, a one-partition compacted topic keyed by
     * experiment id, read from the checkpointed offset.
     */
    public interface Loop {
        DataStream<BroadcastItem> subscribe(StreamExecutionEnvironment env);

        void publish(DataStream<BroadcastItem> updates);
    }

    /** The job's outputs. */
    public static final class Streams {
        public final DataStream<DecisionRecord> decisions;
        public final DataStream<RejectedLine> deadLetters;
        /** The aggregator's messages (also published to the loop). */
        public final DataStream<BroadcastItem> posteriors;
        /** Outcomes simulated by a {@link ResponseModel} (the demo); null without one. */
        public final DataStream<UserItem> simulatedOutcomes;

        public Streams(DataStream<DecisionRecord> decisions, DataStream<RejectedLine> deadLetters, DataStream<BroadcastItem> posteriors) {
            this(decisions, deadLetters, posteriors, null);
        }

        public Streams(DataStream<DecisionRecord> decisions, DataStream<RejectedLine> deadLetters, DataStream<BroadcastItem> posteriors,
                DataStream<UserItem> simulatedOutcomes) {
            this.decisions = decisions;
            this.deadLetters = deadLetters;
            this.posteriors = posteriors;
            this.simulatedOutcomes = simulatedOutcomes;
        }
    }

    private final Inputs inputs;
    private final Outputs outputs;
    private final Loop loop;
    private final DecisionSettings settings;
    /** Simulation only (the demo); null in production. */
    private ResponseModel responses;

    public DecisionJob(Inputs inputs, Outputs outputs, Loop loop, ReadableConfig config) {
        this(inputs, outputs, loop, DecisionSettings.from(config));
    }

    public DecisionJob(Inputs inputs, Outputs outputs, Loop loop, DecisionSettings settings) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.loop = loop;
        this.settings = settings;
    }

    /**
     * Simulation only: users respond to their decisions as {@code model} says (see {@link
     * ResponseModel}); the responses come out as {@link Streams#simulatedOutcomes}.
     */
    public DecisionJob withResponses(ResponseModel model) {
        this.responses = model;
        return this;
    }

    /** The topology; usable with any inputs and loop. */
    public static Streams build(StreamExecutionEnvironment env, Inputs inputs, Loop loop, DecisionSettings settings) {
        return build(env, inputs, loop, settings, null);
    }

    /** The topology, with simulated users who respond to their decisions when {@code responses} is not null. */
    public static Streams build(StreamExecutionEnvironment env, Inputs inputs, Loop loop, DecisionSettings settings,
            ResponseModel responses) {
        if (!inputs.has(DecisionLineParser.EXPERIMENTS)) {
            throw new IllegalArgumentException("the decision job needs the experiments stream");
        }
        WatermarkStrategy<DecisionLine> watermarks = SourceActivity.strategy();
        List<DataStream<RejectedLine>> deadLetters = new ArrayList<>();
        DataStream<UserItem> items = null;
        for (String stream : KEYED_STREAMS) {
            if (!inputs.has(stream)) {
                continue;
            }
            SingleOutputStreamOperator<DecisionLine> good = split(inputs.open(env, stream, watermarks), stream, settings);
            deadLetters.add(good.getSideOutput(DecisionSplitter.DEAD_LETTERS));
            DataStream<UserItem> s = good.map(new ToItem()).returns(Types.POJO(UserItem.class))
                    .setParallelism(good.getParallelism()).name(stream + " items").uid("decide-items-" + stream);
            items = items == null ? s : items.union(s);
        }
        if (items == null) {
            throw new IllegalArgumentException("the decision job needs requests or triggers");
        }
        SingleOutputStreamOperator<DecisionLine> defLines =
                split(inputs.open(env, DecisionLineParser.EXPERIMENTS, watermarks), DecisionLineParser.EXPERIMENTS, settings);
        deadLetters.add(defLines.getSideOutput(DecisionSplitter.DEAD_LETTERS));
        DataStream<BroadcastItem> definitions = defLines.map(new ToDefinition()).returns(Types.POJO(BroadcastItem.class))
                .setParallelism(defLines.getParallelism()).name("definitions").uid("decide-definitions");

        DataStream<BroadcastItem> broadcast = definitions.union(loop.subscribe(env)).broadcast();
        SingleOutputStreamOperator<DecisionRecord> decided = items.keyBy(new ByUser())
                .connect(broadcast)
                .transform("decide", Types.POJO(DecisionRecord.class), new GatedDecisionOperator(new DecisionFunction(settings, responses)))
                .uid("decide")
                .setBufferTimeout(0);
        deadLetters.add(decided.getSideOutput(DecisionFunction.DEAD_LETTERS));

        SingleOutputStreamOperator<BroadcastItem> posteriors = decided.getSideOutput(DecisionFunction.LOOP_OUT)
                .global()
                .process(new PosteriorAggregator(settings))
                .returns(Types.POJO(BroadcastItem.class))
                .setParallelism(1)
                .setMaxParallelism(1)
                .setBufferTimeout(0)
                .name("posterior aggregator")
                .uid("posterior-aggregator");
        loop.publish(posteriors);

        // A decision over 64 KiB (ids from 32 KiB lines could make one) becomes an output_too_large dead letter.
        SingleOutputStreamOperator<DecisionRecord> capped = OutputCap.apply(decided, "decisions", DecisionJson::write);
        deadLetters.add(capped.getSideOutput(OutputCap.DEAD_LETTERS));
        DataStream<DecisionRecord> decisions = capped.map(new DecisionCounter()).name("count decisions").uid("decision-counter");
        DataStream<RejectedLine> dead = deadLetters.get(0);
        for (int i = 1; i < deadLetters.size(); i++) {
            dead = dead.union(deadLetters.get(i));
        }
        DataStream<UserItem> simulated = responses == null ? null : decided.getSideOutput(DecisionFunction.SIMULATED_OUTCOMES);
        return new Streams(decisions, dead, posteriors, simulated);
    }

    private static SingleOutputStreamOperator<DecisionLine> split(DataStream<DecisionLine> lines, String stream,
            DecisionSettings settings) {
        return lines.transform("split " + stream, Types.POJO(DecisionLine.class),
                        new DecisionSplitter(stream, settings.outOfOrderness, settings.maxFutureSkew))
                .setParallelism(lines.getParallelism())
                .uid("decide-split-" + stream);
    }

    /** Adds the job to {@code env} (options validated). */
    public void wire(StreamExecutionEnvironment env) {
        Environments.defaultMaxParallelism(env);
        outputs.write(build(env, inputs, loop, settings, responses));
    }

    /** Wires and runs to completion (bounded inputs). */
    public JobExecutionResult run(StreamExecutionEnvironment env) throws Exception {
        wire(env);
        return env.execute(NAME);
    }

    /** Wires and submits without waiting. */
    public JobClient start(StreamExecutionEnvironment env) throws Exception {
        wire(env);
        return env.executeAsync(NAME);
    }

    /** Keys items by user id. */
    public static final class ByUser implements KeySelector<UserItem, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(UserItem item) {
            return item.userId;
        }
    }

    static final class ToItem implements MapFunction<DecisionLine, UserItem> {
        private static final long serialVersionUID = 1L;

        @Override
        public UserItem map(DecisionLine line) {
            return line.item;
        }
    }

    static final class ToDefinition implements MapFunction<DecisionLine, BroadcastItem> {
        private static final long serialVersionUID = 1L;

        @Override
        public BroadcastItem map(DecisionLine line) {
            return line.definition;
        }
    }
}
