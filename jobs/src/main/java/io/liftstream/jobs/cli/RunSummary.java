package io.liftstream.jobs.cli;

import io.liftstream.jobs.input.InputSplitter;
import io.liftstream.jobs.io.OutputCap;
import io.liftstream.jobs.triggers.TriggerCounter;
import io.liftstream.triggers.TriggerType;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/** End-of-run counts read from the job's accumulators. */
public final class RunSummary {
    public final long events;
    public final long late;
    public final long deadLettered;
    /** Triggers over the 64 KiB output cap, written as {@code output_too_large} dead letters instead. */
    public final long oversized;
    public final Map<TriggerType, Long> triggers = new EnumMap<>(TriggerType.class);

    /** {@code accumulator} maps an accumulator name to its value (null when never written). */
    public RunSummary(Function<String, Object> accumulator) {
        this.events = value(accumulator.apply(InputSplitter.EVENTS));
        this.late = value(accumulator.apply(InputSplitter.LATE));
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
        out.printf("late:           %d%n", late);
        out.printf("dead-lettered:  %d%n", deadLettered);
        if (oversized > 0) {
            out.printf("  + %d triggers over the 64 KiB output cap (output_too_large)%n", oversized);
        }
        out.printf("triggers:       %d%n", totalTriggers());
        triggers.forEach((type, n) -> out.printf("  %-20s %d%n", type.id(), n));
    }
}
