package io.liftstream.jobs.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** The results job's inputs follow the same event-time rule as the trigger job's (issue 13). */
class ResultsSplitterTest {
    private static final long T0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
    private final OutcomeParser outcomes = new OutcomeParser();

    private StreamRecord<ResultsLine> outcome(String user, long t) {
        return new StreamRecord<>(outcomes.parse("{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"" + user
                + "\",\"timestamp\":" + t + ",\"properties\":{\"revenue\":10}}"));
    }

    @Test
    void anOutcomeDatedInTheFutureIsDeadLetteredAndMovesNothing() throws Exception {
        try (OneInputStreamOperatorTestHarness<ResultsLine, ResultsInput> h = new OneInputStreamOperatorTestHarness<>(
                new ResultsSplitter(ResultsSplitter.OUTCOMES, Duration.ofSeconds(10), Duration.ofHours(1)))) {
            h.open();
            h.processElement(outcome("a", T0));
            h.processElement(outcome("clock-2199", Instant.parse("2199-01-01T00:00:00Z").toEpochMilli()));
            h.processElement(outcome("b", T0 + 1_000));
            h.processElement(outcome("c", T0 + 2 * 3_600_000)); // 2 h ahead of b: held, and the input ends
            h.processWatermark(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));

            assertThat(h.extractOutputValues()).extracting(i -> i.userId).containsExactly("a", "b");
            List<RejectedLine> dead = h.getSideOutput(ResultsSplitter.DEAD_LETTERS).stream().map(StreamRecord::getValue)
                    .collect(Collectors.toList());
            assertThat(dead).extracting(r -> r.reason.split(":")[0]).containsExactly("future_timestamp", "future_timestamp");
            assertThat(dead.get(0).line).contains("clock-2199");
        }
    }
}
