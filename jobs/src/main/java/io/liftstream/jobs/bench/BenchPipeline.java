package io.liftstream.jobs.bench;

import io.liftstream.events.ShopperEvent;
import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.input.InputSplitter;
import io.liftstream.jobs.input.PerEventWatermarks;
import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.triggers.TriggerJob;
import io.liftstream.triggers.TriggerDetector;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The two pipelines the trigger benchmark compares. Both open the same {@link TriggerJob.Input} with
 * the job's own watermark strategy ({@link PerEventWatermarks} at the configured out-of-orderness)
 * and split dead letters and late events with {@link InputSplitter}, which also counts the events
 * both report. From there:
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
            DataStream<ParsedLine> lines =
                    input.open(env, new PerEventWatermarks(config.get(EventTimeOptions.OUT_OF_ORDERNESS)));
            SingleOutputStreamOperator<ShopperEvent> events = lines.process(new InputSplitter())
                    .setParallelism(lines.getParallelism())
                    .name("split dead letters and late events")
                    .uid("input-splitter");
            events.keyBy(new TriggerDetector.ByUser())
                    .sinkTo(new DiscardingSink<>())
                    .name("discard events")
                    .uid("discard-events");
            events.getSideOutput(InputSplitter.DEAD_LETTERS).sinkTo(new DiscardingSink<>())
                    .setParallelism(lines.getParallelism()).name("discard dead letters");
            events.getSideOutput(InputSplitter.LATE_EVENTS).sinkTo(new DiscardingSink<>())
                    .setParallelism(lines.getParallelism()).name("discard late events");
        }
    },
    TRIGGERS("triggers", "keyBy(user) -> trigger detection (CEP patterns, cart context, spike cooldown) -> DiscardingSink") {
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

    /** The trigger job's three outputs, discarded. */
    static final class DiscardingOutput implements TriggerJob.Output {
        @Override
        public void write(TriggerJob.Streams streams) {
            streams.triggers.sinkTo(new DiscardingSink<>()).name("discard triggers");
            streams.deadLetters.sinkTo(new DiscardingSink<>())
                    .setParallelism(streams.deadLetters.getParallelism()).name("discard dead letters");
            streams.lateEvents.sinkTo(new DiscardingSink<>())
                    .setParallelism(streams.lateEvents.getParallelism()).name("discard late events");
        }
    }
}
