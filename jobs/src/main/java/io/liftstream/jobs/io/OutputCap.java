package io.liftstream.jobs.io;

import io.liftstream.jobs.serde.RejectedLine;
import io.liftstream.jobs.serde.Utf8;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.SerializableFunction;

/**
 * The cap on the size of any output record ({@link #MAX_RECORD_BYTES}, 64 KiB of JSON), enforced in
 * front of the sinks: a record over it is replaced by a dead letter with reason {@code
 * output_too_large} (carrying the first 4 KiB of its JSON), counted in the metric and accumulator
 * {@value #OVERSIZED}. With the cap, every record fits the Kafka producers' {@code max.request.size}
 * ({@link #MAX_REQUEST_SIZE}) and a default topic's {@code max.message.bytes} (1 MiB) with room to
 * spare, so a record never reaches a broker that must refuse it.
 *
 * <p>Bounded contexts (at most 100 listed items) keep real records far below the cap; it exists for
 * what the bounds cannot see, such as 100 product ids of 30 KiB each.
 */
public final class OutputCap<T> extends ProcessFunction<T, T> {
    private static final long serialVersionUID = 1L;

    /** The most bytes of JSON an output record may have. */
    public static final int MAX_RECORD_BYTES = 64 * 1024;
    /** The producers' {@code max.request.size}: Kafka's default (1 MiB), stated so no deployment lowers it below the cap. */
    public static final String MAX_REQUEST_SIZE = Integer.toString(1024 * 1024);
    public static final String OUTPUT_TOO_LARGE = "output_too_large";
    /** Metric and accumulator: output records replaced by dead letters. */
    public static final String OVERSIZED = "liftstreamOversizedOutputs";

    public static final OutputTag<RejectedLine> DEAD_LETTERS =
            new OutputTag<>("oversized-outputs", Types.POJO(RejectedLine.class));

    private final String stream;
    private final SerializableFunction<T, String> json;
    private final SerializableFunction<T, String> key;
    private final int maxMessageBytes;
    private transient Counter oversized;
    private transient LongCounter oversizedTotal;

    /** {@code stream} names the output in the dead letter (e.g. "triggers"); {@code json} is the sink's own encoding. */
    public OutputCap(String stream, SerializableFunction<T, String> json) {
        this(stream, json, null, Integer.MAX_VALUE);
    }

    /**
     * Also within {@code maxMessageBytes}, the output topic's {@code max.message.bytes} ({@link
     * TopicLimits}): the value, the {@code key} (nullable) and {@link TopicLimits#RECORD_OVERHEAD_BYTES}
     * must fit, so the broker never refuses a record.
     */
    public OutputCap(String stream, SerializableFunction<T, String> json, SerializableFunction<T, String> key, int maxMessageBytes) {
        this.stream = stream;
        this.json = json;
        this.key = key;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** {@code records} capped, at their parallelism; the dead letters are the result's {@link #DEAD_LETTERS} side output. */
    public static <T> SingleOutputStreamOperator<T> apply(DataStream<T> records, String stream,
            SerializableFunction<T, String> json) {
        return apply(records, new OutputCap<>(stream, json));
    }

    public static <T> SingleOutputStreamOperator<T> apply(DataStream<T> records, OutputCap<T> cap) {
        return apply(records, cap, "output-cap-" + cap.stream);
    }

    public static <T> SingleOutputStreamOperator<T> apply(DataStream<T> records, OutputCap<T> cap, String uid) {
        return records.process(cap)
                .returns(records.getType())
                .setParallelism(records.getParallelism())
                .name("cap " + cap.stream + (cap.maxMessageBytes == Integer.MAX_VALUE ? " at " + MAX_RECORD_BYTES + " bytes"
                        : " to the topic's " + cap.maxMessageBytes + " bytes"))
                .uid(uid);
    }

    @Override
    public void open(OpenContext openContext) {
        oversized = getRuntimeContext().getMetricGroup().counter(OVERSIZED);
        oversizedTotal = getRuntimeContext().getLongCounter(OVERSIZED);
    }

    @Override
    public void processElement(T record, Context ctx, Collector<T> out) throws Exception {
        String text = json.apply(record);
        long bytes = Utf8.length(text);
        long limit = MAX_RECORD_BYTES;
        String what = "the " + MAX_RECORD_BYTES + "-byte cap";
        if (maxMessageBytes != Integer.MAX_VALUE) {
            String k = key == null ? null : key.apply(record);
            long topicRoom = (long) maxMessageBytes - TopicLimits.RECORD_OVERHEAD_BYTES - (k == null ? 0 : Utf8.length(k));
            if (topicRoom < limit) {
                limit = topicRoom;
                what = "what the topic accepts (max.message.bytes " + maxMessageBytes + ")";
            }
        }
        if (bytes <= limit) {
            out.collect(record);
            return;
        }
        oversized.inc();
        oversizedTotal.add(1);
        ctx.output(DEAD_LETTERS, RejectedLine.deadLetter(stream, text, bytes,
                OUTPUT_TOO_LARGE + ": a " + stream + " record of " + bytes + " bytes, over " + what));
    }
}
