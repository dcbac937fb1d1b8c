package io.liftstream.jobs.triggers;

import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.SECOND;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static io.liftstream.jobs.testkit.SegmentLines.productAdded;
import static io.liftstream.jobs.testkit.SegmentLines.productViewed;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;
import io.liftstream.jobs.input.InputSplitter;
import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.serde.RejectedLine;
import io.liftstream.jobs.serde.SegmentEventParser;
import io.liftstream.triggers.KeyedTriggersOperator;
import io.liftstream.triggers.LateEvent;
import io.liftstream.triggers.TriggerDetector;
import io.liftstream.triggers.TriggerRecord;
import io.liftstream.triggers.TriggerSettings;

import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Issue 13: the trigger operator never drops an event silently. Two source subtasks feed the keyed
 * trigger operator; subtask A goes idle (an idle Kafka partition), so the operator's watermark
 * follows subtask B alone and moves past A's event time. When A comes back, its next event is on
 * time for A's own stream (above A's watermark) but at or below the operator's: it is late there,
 * published on the late output and counted, and lines in = processed + late + dead.
 *
 * <p>The network's watermark valve is played by {@link Valve}: the minimum of the inputs' watermarks,
 * idle inputs left out, forwarded when it rises (what Flink's {@code StatusWatermarkValve} does).
 */
class IdleInputLateEventsTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final SegmentEventParser parser = new SegmentEventParser();

    private static OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> splitter(int subtask) throws Exception {
        OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> h =
                new OneInputStreamOperatorTestHarness<>(new InputSplitter(BOUND, Duration.ofHours(1)), 128, 2, subtask);
        h.open();
        return h;
    }

    /** The watermark valve in front of the keyed operator. */
    private static final class Valve {
        final long[] watermarks = {Long.MIN_VALUE, Long.MIN_VALUE};
        final boolean[] idle = {false, false};
        final KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> out;
        long forwarded = Long.MIN_VALUE;

        Valve(KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> out) {
            this.out = out;
        }

        void watermark(int input, long w) throws Exception {
            watermarks[input] = Math.max(watermarks[input], w);
            forward();
        }

        void idle(int input, boolean isIdle) throws Exception {
            idle[input] = isIdle;
            forward();
        }

        private void forward() throws Exception {
            long min = Long.MAX_VALUE;
            boolean anyActive = false;
            for (int i = 0; i < watermarks.length; i++) {
                if (!idle[i]) {
                    min = Math.min(min, watermarks[i]);
                    anyActive = true;
                }
            }
            if (anyActive && min > forwarded) {
                forwarded = min;
                out.processWatermark(new Watermark(min));
            }
        }
    }

    /** Sends a line through subtask {@code input}'s splitter and what comes out through the valve. */
    private void send(OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> splitter, int input, Valve valve,
            String line) throws Exception {
        splitter.processElement(new StreamRecord<>(parser.parse(line)));
        List<Object> output = List.copyOf(splitter.getOutput());
        for (Object o : output.subList(seen(splitter), output.size())) {
            if (o instanceof Watermark) {
                valve.watermark(input, ((Watermark) o).getTimestamp());
            } else {
                @SuppressWarnings("unchecked")
                StreamRecord<ShopperEvent> r = (StreamRecord<ShopperEvent>) o;
                valve.out.processElement(r);
            }
        }
        forwardedSoFar.put(splitter, output.size());
    }

    private final Map<Object, Integer> forwardedSoFar = new java.util.IdentityHashMap<>();

    private int seen(Object splitter) {
        return forwardedSoFar.getOrDefault(splitter, 0);
    }

    private static long accumulator(AbstractStreamOperatorTestHarness<?> h, String name) {
        Accumulator<?, ?> a = h.getEnvironment().getAccumulatorRegistry().getUserMap().get(name);
        return a == null ? 0 : ((Number) a.getLocalValue()).longValue();
    }

    @Test
    void anEventBetweenTheTwoSubtasksWatermarksIsLateAtTheOperatorAndCounted() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> a = splitter(0);
                OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> b = splitter(1);
                KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> triggers =
                        new KeyedOneInputStreamOperatorTestHarness<>(new KeyedTriggersOperator(TriggerSettings.defaults()),
                                new TriggerDetector.ByUser(), Types.STRING)) {
            triggers.open();
            Valve valve = new Valve(triggers);

            send(a, 0, valve, productAdded("ann", T0, "p1", 10, 1)); // A's watermark: T0 − 10 s − 1 ms
            valve.idle(0, true); // A's partition goes quiet
            for (int i = 1; i <= 20; i++) {
                send(b, 1, valve, productViewed("bob", T0 + i * MINUTE, "p" + i));
            }
            long operatorWatermark = T0 + 20 * MINUTE - BOUND.toMillis() - 1;
            assertThat(valve.forwarded).isEqualTo(operatorWatermark);

            valve.idle(0, false); // A comes back
            long between = T0 + 5 * MINUTE; // above A's watermark, below the operator's
            send(a, 0, valve, productAdded("ann", between, "p2", 10, 1));
            assertThat(a.getSideOutput(InputSplitter.LATE_EVENTS)).as("on time for its own subtask").isNull();

            List<LateEvent> late = triggers.getSideOutput(KeyedTriggersOperator.LATE_EVENTS).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(late).hasSize(1);
            assertThat(late.get(0).event.userId).isEqualTo("ann");
            assertThat(late.get(0).event.timestamp).isEqualTo(between);
            assertThat(late.get(0).watermark).isEqualTo(operatorWatermark);
            RejectedLine published = new LateAtTriggers().map(late.get(0));
            assertThat(published.reason).isEqualTo("late");
            assertThat(published.line).contains("\"userId\":\"ann\"").contains("\"event\":\"Product Added\"");

            valve.watermark(0, Long.MAX_VALUE);
            valve.watermark(1, Long.MAX_VALUE);
            // ann's first cart is abandoned (the late add is not part of it); bob only viewed.
            assertThat(triggers.extractOutputValues()).extracting(t -> t.trigger + " " + t.userId)
                    .contains("cart_abandoned ann");

            long linesIn = 22;
            long passed = accumulator(a, InputSplitter.EVENTS) + accumulator(b, InputSplitter.EVENTS);
            long lateAtInput = accumulator(a, InputSplitter.LATE) + accumulator(b, InputSplitter.LATE);
            long dead = accumulator(a, InputSplitter.DEAD) + accumulator(b, InputSplitter.DEAD);
            long lateAtTriggers = accumulator(triggers, KeyedTriggersOperator.LATE);
            assertThat(lateAtTriggers).isEqualTo(1);
            assertThat(passed).isEqualTo(22);
            long processed = passed - lateAtTriggers;
            assertThat(processed + lateAtInput + lateAtTriggers + dead).isEqualTo(linesIn);
            assertThat(processed).isEqualTo(21);
        }
    }
}
