package io.liftstream.jobs.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** The decision job's inputs follow the same event-time rule as the trigger job's (issue 13). */
class DecisionSplitterTest {
    private static final long T0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000;
    private final DecisionLineParser parser = new DecisionLineParser();

    private static OneInputStreamOperatorTestHarness<DecisionLine, DecisionLine> harness() throws Exception {
        return harness(DecisionLineParser.REQUESTS);
    }

    private static OneInputStreamOperatorTestHarness<DecisionLine, DecisionLine> harness(String stream) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new DecisionSplitter(stream, Duration.ofSeconds(10), Duration.ofHours(1)));
    }

    private StreamRecord<DecisionLine> request(String id, long t) {
        return new StreamRecord<>(parser.parse(DecisionLineParser.REQUESTS,
                "{\"request_id\":\"" + id + "\",\"user_id\":\"u-" + id + "\",\"experiment_id\":\"e1\",\"timestamp\":" + t + "}"));
    }

    private StreamRecord<DecisionLine> definition(String id, Long t) {
        return new StreamRecord<>(parser.parse(DecisionLineParser.EXPERIMENTS,
                "{\"experiment_id\":\"" + id + "\",\"arms\":[{\"name\":\"control\",\"weight\":0.5},{\"name\":\"treat\",\"weight\":0.5}]"
                        + (t == null ? "" : ",\"timestamp\":\"" + Instant.ofEpochMilli(t) + "\"") + "}"));
    }

    private static List<RejectedLine> dead(OneInputStreamOperatorTestHarness<DecisionLine, DecisionLine> h) {
        return h.getSideOutput(DecisionSplitter.DEAD_LETTERS) == null ? List.of()
                : h.getSideOutput(DecisionSplitter.DEAD_LETTERS).stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    @Test
    void aRequestDatedInTheFutureIsDeadLetteredAndMovesNothing() throws Exception {
        try (OneInputStreamOperatorTestHarness<DecisionLine, DecisionLine> h = harness()) {
            h.open();
            h.processElement(request("r1", T0));
            h.processElement(request("r2", Instant.parse("2199-01-01T00:00:00Z").toEpochMilli()));
            h.processElement(request("r3", T0 + 1_000));
            h.processElement(request("r4", T0 - 20_000)); // late: 20 s behind r3

            assertThat(h.extractOutputValues()).extracting(l -> l.item.requestId)
                    .containsExactly("r1", "r3");
            assertThat(dead(h)).extracting(r -> r.reason.split(":")[0]).containsExactly("future_timestamp", "late");
            assertThat(dead(h)).extracting(r -> r.stream).containsOnly(DecisionLineParser.REQUESTS);
            assertThat(h.getOutput().stream().filter(o -> o instanceof Watermark).map(o -> ((Watermark) o).getTimestamp()))
                    .containsExactly(T0 - 10_001, T0 - 9_001);
        }
    }

    /** Definitions may be scheduled ahead ("stop at +7 d"): the future rule is not theirs. */
    @Test
    void aDefinitionScheduledAWeekAheadIsNotFuture() throws Exception {
        try (OneInputStreamOperatorTestHarness<DecisionLine, DecisionLine> h = harness(DecisionLineParser.EXPERIMENTS)) {
            h.open();
            h.processElement(definition("e1", T0));
            h.processElement(definition("e2", T0 + 7 * 24 * HOUR));
            h.processElement(definition("e3", null));
            h.processElement(definition("e4", T0 + 1)); // "pause now" after "stop in a week": not late either
            assertThat(h.extractOutputValues()).hasSize(4);
            assertThat(dead(h)).isEmpty();
            // definitions make no watermark: a change scheduled ahead must not hold back an earlier one
            assertThat(h.getOutput().stream().filter(o -> o instanceof org.apache.flink.streaming.api.watermark.Watermark)).isEmpty();
        }
    }

    /** The stream's event time is checkpointed: after a restore, the same lines are late and future. */
    @Test
    void aRestoreKeepsTheStreamsEventTime() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<DecisionLine, DecisionLine> h = harness()) {
            h.open();
            h.processElement(request("r1", T0 + 60_000));
            snapshot = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<DecisionLine, DecisionLine> h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(request("r2", T0 + 40_000)); // 20 s behind r1: late
            h.processElement(request("r3", T0 + 60_000 + HOUR + 1)); // future
            h.processElement(request("r4", T0 + 55_000)); // on time
            assertThat(dead(h)).extracting(r -> r.reason.split(":")[0]).containsExactly("late", "future_timestamp");
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.getOutput().stream().filter(o -> o instanceof Watermark).map(o -> ((Watermark) o).getTimestamp()))
                    .as("the restored watermark first").containsExactly(T0 + 60_000 - 10_001);
        }
    }
}
