package io.liftstream.jobs.bench;

import io.liftstream.events.ShopperEvent;
import io.liftstream.jobs.input.InputSplitter;
import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.serde.RejectedLine;
import io.liftstream.jobs.triggers.TriggerJob;
import io.liftstream.triggers.TriggerDetector;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The two pipelines the trigger benchmark compares. Both open the same {@link TriggerJob.Input} with
 * the job's own source strategy and split dead letters and late events with {@link InputSplitter}
 * (which makes the watermarks at the configured out-of-orderness and counts the events both report). From there:
 *
 * <ul>
 *   <li>{@link #BASELINE}: keyBy user → {@link DiscardingSink}: the cost of reading, parsing,
 *       watermarking and shuffling, with no state at all.
 *   <li>{@link #TRIGGERS}: the trigger job itself ({@link TriggerJob#wire}), every output to a {@link
 *       DiscardingSink}.
 * </ul>
 *
 * So the difference between the two is the trigger detection: the CEP operators, the cart-context
 * join, the spike cooldown and their state backend work.
 */
public enum BenchPipeline {
    BASELINE("baseline", "keyBy(user) -> DiscardingSink") {
        @Override
        void wire(StreamExecutionEnvironment env, TriggerJob.Input input, ReadableConfig config) {
            DataStream<ParsedLine> lines = input.open(env, TriggerJob.watermarks(config));
            SingleOutputStreamOperator<ShopperEvent> events = TriggerJob.split(lines, config);
            events.keyBy(new TriggerDetector.ByUser())
                    .sinkTo(new DiscardingSink<>())
                    .name("discard events")
                    .uid("discard-events");
            discardRejected(events.getSideOutput(InputSplitter.DEAD_LETTERS), events.getSideOutput(InputSplitter.LATE_EVENTS));
        }
    },
    TRIGGERS("triggers", "keyBy(user) -> trigger detection (the TriggerJob topology, all enabled triggers) -> DiscardingSink") {
        @Override
        void wire(StreamExecutionEnvironment env, TriggerJob.Input input, ReadableConfig config) {
            new TriggerJob(input, new DiscardingOutput(), config).wire(env);
        }
    };

    public final String label;
    public final String description;

    BenchPipeline(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** Adds the pipeline to {@code env}. */
    abstract void wire(StreamExecutionEnvironment env, TriggerJob.Input input, ReadableConfig config);

    /** Discards rejected lines at their input's parallelism. */
    static void discardRejected(DataStream<RejectedLine> deadLetters, DataStream<RejectedLine> lateEvents) {
        deadLetters.sinkTo(new DiscardingSink<>()).setParallelism(deadLetters.getParallelism()).name("discard dead letters");
        lateEvents.sinkTo(new DiscardingSink<>()).setParallelism(lateEvents.getParallelism()).name("discard late events");
    }

    /** The trigger job's three outputs, discarded. */
    static final class DiscardingOutput implements TriggerJob.Output {
        @Override
        public void write(TriggerJob.Streams streams) {
            streams.triggers.sinkTo(new DiscardingSink<>()).name("discard triggers");
            discardRejected(streams.deadLetters, streams.lateEvents);
            streams.oversized.sinkTo(new DiscardingSink<>()).setParallelism(streams.oversized.getParallelism())
                    .name("discard oversized triggers");
        }
    }
}
