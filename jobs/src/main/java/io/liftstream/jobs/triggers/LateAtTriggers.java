package io.liftstream.jobs.triggers;

import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.serde.RejectedLine;
import io.liftstream.triggers.LateEvent;

import org.apache.flink.api.common.functions.MapFunction;

/**
 * An event the trigger operator found at or below its own watermark (an input that came back from
 * idleness behind the others) as a late record: reason {@code late}, the event as JSON in place of
 * the original line (which the operator no longer has), its time and the watermark it missed.
 * Counted by the operator ({@code liftstreamTriggerLateEvents}).
 */
public final class LateAtTriggers implements MapFunction<LateEvent, RejectedLine> {
    private static final long serialVersionUID = 1L;

    @Override
    public RejectedLine map(LateEvent late) {
        return RejectedLine.late(JsonLines.event(late.event), late.event.timestamp, late.watermark);
    }
}
