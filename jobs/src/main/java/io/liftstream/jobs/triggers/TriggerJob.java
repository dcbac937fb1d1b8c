package io.liftstream.jobs.triggers;

import io.liftstream.events.ShopperEvent;
import io.liftstream.jobs.env.Environments;
import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.input.InputSplitter;
import io.liftstream.jobs.input.PerEventWatermarks;
import io.liftstream.jobs.io.OutputCap;
import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.serde.RejectedLine;
import io.liftstream.triggers.TriggerDetector;
import io.liftstream.triggers.TriggerRecord;
import io.liftstream.triggers.TriggerSettings;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The trigger job: shopper events in, behavioural triggers out, with dead letters and late events on
 * their own outputs. Its input and output are injected ({@link Input}, {@link Output}), so the same
 * topology runs over files, Kafka, a simulator or a test's collection.
 *
 * <p>Topology: input (parsed lines with event-time watermarks) → {@link InputSplitter} (dead
 * letters, late events) → keyBy user → {@link TriggerDetector} (keyed state machines, or the CEP
 * patterns with the CEP engine) → {@link OutputCap} (a trigger over 64 KiB becomes a dead letter) →
 * {@link TriggerCounter} → output. State lives in the keyed trigger
 * operator (or, with the CEP engine, the CEP operators, the cart and browse joins and the spike
 * cooldown); {@link TriggerDetector} documents its uids and DESIGN.md their bounds.
 */
public final class TriggerJob {

    /** Where parsed input lines come from; the input assigns timestamps and watermarks with the strategy. */
    public interface Input {
        DataStream<ParsedLine> open(StreamExecutionEnvironment env, WatermarkStrategy<ParsedLine> watermarks);
    }

    /** Where the three outputs go. */
    public interface Output {
        void write(Streams streams);

        /**
         * The largest trigger record (key and value) the triggers output accepts, e.g. a Kafka topic's
         * {@code max.message.bytes}, read when the job is wired; unlimited by default (the 64 KiB
         * {@link OutputCap} still applies). May also refuse an output that cannot take dead letters.
         */
        default int maxMessageBytes() {
            return Integer.MAX_VALUE;
        }
    }

    /** The job's outputs. */
    public static final class Streams {
        public final DataStream<TriggerRecord> triggers;
        public final DataStream<RejectedLine> deadLetters;
        public final DataStream<RejectedLine> lateEvents;
        /**
         * Triggers over the {@link OutputCap} (64 KiB), as {@code output_too_large} dead letters: they go
         * to the dead-letter output too, after the input's own (kept apart so a file's dead letters keep
         * input order).
         */
        public final DataStream<RejectedLine> oversized;

        Streams(DataStream<TriggerRecord> triggers, DataStream<RejectedLine> deadLetters, DataStream<RejectedLine> lateEvents,
                DataStream<RejectedLine> oversized) {
            this.triggers = triggers;
            this.deadLetters = deadLetters;
            this.lateEvents = lateEvents;
            this.oversized = oversized;
        }
    }

    public static final String NAME = "liftstream-triggers";

    private final Input input;
    private final Output output;
    private final ReadableConfig config;

    public TriggerJob(Input input, Output output, ReadableConfig config) {
        this.input = input;
        this.output = output;
        this.config = config;
    }

    /** The topology from timestamped, watermarked lines; usable without any connector. */
    public static Streams build(DataStream<ParsedLine> lines, TriggerSettings settings) {
        return build(lines, settings, Integer.MAX_VALUE);
    }

    /** The topology, with triggers also capped to an output's {@code maxMessageBytes} ({@link Output#maxMessageBytes}). */
    public static Streams build(DataStream<ParsedLine> lines, TriggerSettings settings, int maxMessageBytes) {
        SingleOutputStreamOperator<ShopperEvent> events = split(lines);
        SingleOutputStreamOperator<TriggerRecord> capped = OutputCap.apply(
                TriggerDetector.detect(events.keyBy(new TriggerDetector.ByUser()), settings),
                new OutputCap<TriggerRecord>("triggers", JsonLines::trigger, r -> r.userId, maxMessageBytes));
        DataStream<TriggerRecord> triggers = capped
                .map(new TriggerCounter())
                .name("count triggers")
                .uid("trigger-counter");
        return new Streams(triggers, events.getSideOutput(InputSplitter.DEAD_LETTERS),
                events.getSideOutput(InputSplitter.LATE_EVENTS), capped.getSideOutput(OutputCap.DEAD_LETTERS));
    }

    /**
     * Good events on the main output; dead letters and late events on the {@link InputSplitter} side
     * outputs. Runs at the input's parallelism, chained to it, so it sees the input's watermarks.
     */
    public static SingleOutputStreamOperator<ShopperEvent> split(DataStream<ParsedLine> lines) {
        return lines.process(new InputSplitter())
                .setParallelism(lines.getParallelism())
                .name("split dead letters and late events")
                .uid("input-splitter");
    }

    /** The input's event-time strategy: per-event watermarks with the configured out-of-orderness. */
    public static WatermarkStrategy<ParsedLine> watermarks(ReadableConfig config) {
        return new PerEventWatermarks(config.get(EventTimeOptions.OUT_OF_ORDERNESS));
    }

    /** Adds the job to {@code env} (validating the options first). */
    public void wire(StreamExecutionEnvironment env) {
        TriggerSettings settings = TriggerSettings.from(config);
        Environments.defaultMaxParallelism(env);
        int maxMessageBytes = output.maxMessageBytes();
        output.write(build(input.open(env, watermarks(config)), settings, maxMessageBytes));
    }

    /** Wires and runs to completion (bounded inputs). */
    public JobExecutionResult run(StreamExecutionEnvironment env) throws Exception {
        wire(env);
        return env.execute(NAME);
    }

    /** Wires and submits without waiting (unbounded inputs, progress reporting). */
    public JobClient start(StreamExecutionEnvironment env) throws Exception {
        wire(env);
        return env.executeAsync(NAME);
    }
}
