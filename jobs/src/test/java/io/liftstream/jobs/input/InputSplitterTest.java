package io.liftstream.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;
import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.serde.RejectedLine;
import io.liftstream.jobs.serde.SegmentEventParser;

import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

class InputSplitterTest {
    private static final long T0 = 1_763_632_800_000L;
    private final SegmentEventParser parser = new SegmentEventParser();

    private StreamRecord<ParsedLine> line(String user, long t) {
        String json = "{\"event\":\"Product Viewed\",\"userId\":\"" + user + "\",\"timestamp\":" + t + "}";
        return new StreamRecord<>(parser.parse(json), t);
    }

    @Test
    void routesGoodDeadAndLateLinesAndCountsThem() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new InputSplitter()))) {
            harness.open();
            harness.processElement(line("a", T0 + 20_000));
            harness.processWatermark(new Watermark(T0 + 9_999));
            harness.processElement(line("b", T0 + 10_000)); // just above the watermark: on time
            harness.processElement(line("c", T0 + 9_999)); // at the watermark: late
            harness.processElement(new StreamRecord<>(parser.parse("{oops"), T0));
            harness.processElement(line("d", T0 + 1)); // late

            List<String> good = harness.extractOutputValues().stream().map(e -> e.userId).collect(Collectors.toList());
            assertThat(good).containsExactly("a", "b");

            List<RejectedLine> late = harness.getSideOutput(InputSplitter.LATE_EVENTS).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(late).extracting(r -> r.reason).containsExactly("late", "late");
            assertThat(late).extracting(r -> r.eventTime).containsExactly(T0 + 9_999, T0 + 1);
            assertThat(late).extracting(r -> r.watermark).containsOnly(T0 + 9_999);
            assertThat(late.get(0).line).contains("\"userId\":\"c\"");

            List<RejectedLine> dead = harness.getSideOutput(InputSplitter.DEAD_LETTERS).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).line).isEqualTo("{oops");
            assertThat(dead.get(0).reason).startsWith("malformed_json");
        }
    }
}
