package io.liftstream.jobs.input;

import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The sources' strategy: records keep their own timestamp (Kafka's record timestamp; none for
 * files); the event-time watermarks are made downstream by an {@link EventTimeSplitOperator} from
 * the lines it accepts, with checkpointed state.
 *
 * <p>What this strategy does emit is activity. Flink's source marks itself active again (after an
 * idle spell, {@link WatermarkStrategy#withIdleness}, or before its first split) only when the
 * combined watermark of its splits rises, and an output announced idle drops watermarks. So each
 * record raises its split's watermark to the next number of a sequence shared by the subtask's
 * splits: the split that wakes a quiet subtask holds the highest value and lifts the combined
 * watermark, which announces the subtask active. The values mean nothing (they sit near {@link
 * Long#MIN_VALUE}) and the splitter ignores them.
 */
public final class SourceActivity<T> implements WatermarkStrategy<T> {
    private static final long serialVersionUID = 1L;

    /** Per subtask (each deserializes its own strategy); shared by the generators of its splits. */
    private transient long[] sequence;

    private SourceActivity() {}

    public static <T> WatermarkStrategy<T> strategy() {
        return new SourceActivity<>();
    }

    @Override
    public TimestampAssigner<T> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
        return (element, recordTimestamp) -> recordTimestamp;
    }

    @Override
    public synchronized WatermarkGenerator<T> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
        if (sequence == null) {
            sequence = new long[] {Long.MIN_VALUE};
        }
        return new Generator<>(sequence);
    }

    static final class Generator<T> implements WatermarkGenerator<T> {
        private final long[] sequence;

        Generator(long[] sequence) {
            this.sequence = sequence;
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            output.emitWatermark(new Watermark(++sequence[0]));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            // Activity only on records.
        }
    }
}
