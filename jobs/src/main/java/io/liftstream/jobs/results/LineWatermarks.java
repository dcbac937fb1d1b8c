package io.liftstream.jobs.results;

import io.liftstream.jobs.input.EventTimeOptions;

import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/**
 * Per-event bounded out-of-orderness watermarks for the results job's inputs, as the trigger job's
 * {@code PerEventWatermarks}: after a line with event time t the watermark is {@code max t − bound −
 * 1}; lines without event time (refused lines, definitions without timestamp) move nothing and keep
 * the record's own timestamp (Kafka's, or none).
 *
 * <p>The experiments stream gets {@link #forDefinitions()}: timestamps but no watermark, as in the
 * decision job. A definition's timestamp is when it takes effect, not an event: "stop a in 7 days"
 * must not move event time a week ahead, or "pause b now", written next, would take effect only
 * then. The definitions then hold event time back until they end (files: every version is known
 * first, so a replay is deterministic) or idle (Kafka).
 */
public final class LineWatermarks implements WatermarkStrategy<ResultsLine> {
    private static final long serialVersionUID = 1L;

    private final long boundMillis;
    private final boolean emits;

    /** Timestamps (effective times) without watermarks: for the experiments stream. */
    public static LineWatermarks forDefinitions() {
        return new LineWatermarks(Duration.ZERO, false);
    }

    public LineWatermarks(Duration bound) {
        this(bound, true);
    }

    private LineWatermarks(Duration bound, boolean emits) {
        this.emits = emits;
        if (bound.isNegative()) {
            throw new IllegalArgumentException(EventTimeOptions.OUT_OF_ORDERNESS.key() + " must not be negative, was " + bound);
        }
        this.boundMillis = bound.toMillis();
    }

    @Override
    public WatermarkGenerator<ResultsLine> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
        return emits ? new Generator(boundMillis) : new NoWatermarks();
    }

    /** Emits nothing: the stream holds event time back until it ends or idles. */
    static final class NoWatermarks implements WatermarkGenerator<ResultsLine> {
        @Override
        public void onEvent(ResultsLine line, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }

    @Override
    public TimestampAssigner<ResultsLine> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
        return (line, recordTimestamp) -> {
            Long t = line.eventTime();
            return t != null ? t : recordTimestamp;
        };
    }

    static final class Generator implements WatermarkGenerator<ResultsLine> {
        private final long boundMillis;
        private long emitted = Long.MIN_VALUE;

        Generator(long boundMillis) {
            this.boundMillis = boundMillis;
        }

        @Override
        public void onEvent(ResultsLine line, long eventTimestamp, WatermarkOutput output) {
            Long t = line.eventTime();
            if (t == null) {
                return;
            }
            long candidate = t - boundMillis - 1;
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
