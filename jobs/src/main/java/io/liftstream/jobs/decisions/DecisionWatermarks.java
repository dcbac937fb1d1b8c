package io.liftstream.jobs.decisions;

import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/**
 * Per-event bounded out-of-orderness watermarks for one input stream of the decision job, as {@link
 * io.liftstream.jobs.input.PerEventWatermarks} for the trigger job: after a line at time t the
 * watermark is {@code max t − bound − 1}. Rejected lines and untimed definitions move nothing.
 *
 * <p>The experiments stream gets {@link #forDefinitions()}: no watermark at all. A definition's
 * timestamp is when it takes effect, not an event: "stop a in 7 days" would otherwise move the
 * stream's event time a week ahead and make "pause b now", written next, late. Without a watermark
 * the experiments stream holds decisions back until it ends (files, a bounded replay: every version
 * is known before the first decision, so a replay is deterministic) or goes idle (Kafka, {@code
 * experiments-idleness}: after the topic's backlog is read on a start); a version arriving after
 * event time passed its timestamp takes effect at once (see {@link DecisionFunction}).
 */
public final class DecisionWatermarks implements WatermarkStrategy<DecisionLine> {
    private static final long serialVersionUID = 1L;

    private final long boundMillis;
    private final boolean emits;

    public DecisionWatermarks(Duration bound) {
        this(bound.toMillis(), true);
    }

    private DecisionWatermarks(long boundMillis, boolean emits) {
        this.boundMillis = boundMillis;
        this.emits = emits;
    }

    /** Timestamps (the effective times) but no watermarks: for the experiments stream. */
    public static DecisionWatermarks forDefinitions() {
        return new DecisionWatermarks(0, false);
    }

    @Override
    public WatermarkGenerator<DecisionLine> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
        return emits ? new Generator(boundMillis) : new NoWatermarks();
    }

    /** Emits nothing: the stream holds event time back until it ends or idles. */
    static final class NoWatermarks implements WatermarkGenerator<DecisionLine> {
        @Override
        public void onEvent(DecisionLine line, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }

    @Override
    public TimestampAssigner<DecisionLine> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
        return (line, recordTimestamp) -> line.isValid() && line.time != DecisionLine.UNTIMED ? line.time : recordTimestamp;
    }

    static final class Generator implements WatermarkGenerator<DecisionLine> {
        private final long boundMillis;
        private long emitted = Long.MIN_VALUE;

        Generator(long boundMillis) {
            this.boundMillis = boundMillis;
        }

        @Override
        public void onEvent(DecisionLine line, long eventTimestamp, WatermarkOutput output) {
            if (!line.isValid() || line.time == DecisionLine.UNTIMED) {
                return;
            }
            long candidate = line.time - boundMillis - 1;
            if (candidate > emitted) {
                emitted = candidate;
                output.emitWatermark(new Watermark(candidate));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            // Watermarks follow events only.
        }
    }
}
