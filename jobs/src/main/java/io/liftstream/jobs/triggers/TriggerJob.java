package io.liftstream.jobs.triggers;

import io.liftstream.events.ShopperEvent;
import io.liftstream.jobs.env.Environments;
import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.input.InputSplitter;
import io.liftstream.jobs.io.OutputCap;
import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.input.SourceActivity;
import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.serde.RejectedLine;
import io.liftstream.triggers.TriggerDetector;
import io.liftstream.triggers.TriggerRecord;
import io.liftstream.triggers.TriggerSettings;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
 * <p>Topology: input (parsed lines) → {@link InputSplitter} (dead letters, late events; makes the
 * event-time watermarks) → keyBy user → {@link TriggerDetector} (keyed state machines, or the CEP
 * patterns with the CEP engine) → {@link OutputCap} (a trigger over 64 KiB becomes a dead
 * letter) → {@link TriggerCounter} → output. State lives in the keyed trigger
 * operator (or, with the CEP engine, the CEP operators, the cart and browse joins and the spike
 * cooldown); {@link TriggerDetector} documents its uids and DESIGN.md their bounds. The splitter keeps
 * each input subtask's event time ({@code input-splitter}). Events the keyed operator finds at or
 * below its own watermark join the late output ({@link LateAtTriggers}).
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
    public static Streams build(DataStream<ParsedLine> lines, TriggerSettings settings, ReadableConfig config) {
        return build(lines, settings, config, Integer.MAX_VALUE);
    }

    /** The topology, with triggers also capped to an output's {@code maxMessageBytes} ({@link Output#maxMessageBytes}). */
    public static Streams build(DataStream<ParsedLine> lines, TriggerSettings settings, ReadableConfig config, int maxMessageBytes) {
        SingleOutputStreamOperator<ShopperEvent> events = split(lines, config);
        TriggerDetector.Detected detected = TriggerDetector.detectWithLate(events.keyBy(new TriggerDetector.ByUser()), settings);
        SingleOutputStreamOperator<TriggerRecord> capped = OutputCap.apply(detected.triggers,
                new OutputCap<TriggerRecord>("triggers", JsonLines::trigger, r -> r.userId, maxMessageBytes));
        DataStream<TriggerRecord> triggers = capped
                .map(new TriggerCounter())
                .name("count triggers")
                .uid("trigger-counter");
        DataStream<RejectedLine> late = events.getSideOutput(InputSplitter.LATE_EVENTS);
        if (detected.late != null) {
            late = late.union(detected.late.map(new LateAtTriggers()).name("late at the triggers").uid("late-at-triggers"));
        }
        return new Streams(triggers, events.getSideOutput(InputSplitter.DEAD_LETTERS), late, capped.getSideOutput(OutputCap.DEAD_LETTERS));
    }

    /**
     * Good events on the main output; dead letters ({@code future_timestamp} among them) and late
     * events on the {@link InputSplitter} side outputs; the watermarks made from the good events.
     * Runs at the input's parallelism, chained to it.
     */
    public static SingleOutputStreamOperator<ShopperEvent> split(DataStream<ParsedLine> lines, ReadableConfig config) {
        return lines.transform("split dead letters and late events", TypeInformation.of(ShopperEvent.class),
                        new InputSplitter(config.get(EventTimeOptions.OUT_OF_ORDERNESS), config.get(EventTimeOptions.MAX_FUTURE_SKEW)))
                .setParallelism(lines.getParallelism())
                .uid("input-splitter");
    }

    /**
     * The input's strategy: records keep their own timestamp (Kafka's), no watermarks; the {@link
     * InputSplitter} makes them ({@link SourceActivity}).
     */
    public static WatermarkStrategy<ParsedLine> watermarks(ReadableConfig config) {
        return SourceActivity.strategy();
    }

    /** Adds the job to {@code env} (validating the options first). */
    public void wire(StreamExecutionEnvironment env) {
        TriggerSettings settings = TriggerSettings.from(config);
        Environments.defaultMaxParallelism(env);
        int maxMessageBytes = output.maxMessageBytes();
        output.write(build(input.open(env, watermarks(config)), settings, config, maxMessageBytes));
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
