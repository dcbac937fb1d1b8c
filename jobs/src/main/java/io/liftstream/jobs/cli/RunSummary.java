package io.liftstream.jobs.cli;

import io.liftstream.jobs.input.InputSplitter;
import io.liftstream.jobs.io.OutputCap;
import io.liftstream.triggers.KeyedTriggersOperator;
import io.liftstream.jobs.triggers.TriggerCounter;
import io.liftstream.triggers.TriggerType;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/** End-of-run counts read from the job's accumulators. */
public final class RunSummary {
    /** Events the triggers processed. */
    public final long events;
    /** Late events: at the input (behind their stream's watermark) and at the trigger operator. */
    public final long late;
    /** Of {@link #late}: events on time for their input but at or below the trigger operator's watermark. */
    public final long lateAtTriggers;
    public final long deadLettered;
    /** Triggers over the 64 KiB output cap, written as {@code output_too_large} dead letters instead. */
    public final long oversized;
    public final Map<TriggerType, Long> triggers = new EnumMap<>(TriggerType.class);

    /** {@code accumulator} maps an accumulator name to its value (null when never written). */
    public RunSummary(Function<String, Object> accumulator) {
        // Every line is processed, late or dead-lettered: events + late + deadLettered = lines read.
        this.lateAtTriggers = value(accumulator.apply(KeyedTriggersOperator.LATE));
        this.events = value(accumulator.apply(InputSplitter.EVENTS)) - lateAtTriggers;
        this.late = value(accumulator.apply(InputSplitter.LATE)) + lateAtTriggers;
        this.deadLettered = value(accumulator.apply(InputSplitter.DEAD));
        this.oversized = value(accumulator.apply(OutputCap.OVERSIZED));
        for (TriggerType type : TriggerType.values()) {
            triggers.put(type, value(accumulator.apply(TriggerCounter.name(type))));
        }
    }

    private static long value(Object o) {
        return o == null ? 0L : ((Number) o).longValue();
    }

    public long totalTriggers() {
        return triggers.values().stream().mapToLong(Long::longValue).sum();
    }

    public void print(PrintStream out) {
        out.printf("events:         %d%n", events);
        out.printf("late:           %d%s%n", late, lateAtTriggers == 0 ? "" : " (" + lateAtTriggers + " at the trigger operator)");
        out.printf("dead-lettered:  %d%n", deadLettered);
        if (oversized > 0) {
            out.printf("  + %d triggers over the 64 KiB output cap (output_too_large)%n", oversized);
        }
        out.printf("triggers:       %d%n", totalTriggers());
        triggers.forEach((type, n) -> out.printf("  %-20s %d%n", type.id(), n));
    }
}
