package io.liftstream.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;
import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.serde.RejectedLine;
import io.liftstream.jobs.serde.SegmentEventParser;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

class InputSplitterTest {
    private static final long T0 = 1_763_632_800_000L;
    private static final long SECOND = 1_000;
    private static final long HOUR = 3_600_000;
    private static final long YEAR_2199 = Instant.parse("2199-01-01T00:00:00Z").toEpochMilli();
    private final SegmentEventParser parser = new SegmentEventParser();

    private static OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new InputSplitter(Duration.ofSeconds(10), Duration.ofHours(1)));
    }

    private ParsedLine parsed(String user, long t) {
        return parser.parse("{\"event\":\"Product Viewed\",\"userId\":\"" + user + "\",\"timestamp\":" + t + "}");
    }

    /** A file line: no record timestamp. */
    private StreamRecord<ParsedLine> line(String user, long t) {
        return new StreamRecord<>(parsed(user, t));
    }

    /** A Kafka record: its own (Kafka) timestamp. */
    private StreamRecord<ParsedLine> kafka(String user, long t, long kafkaTimestamp) {
        return new StreamRecord<>(parsed(user, t), kafkaTimestamp);
    }

    private static List<RejectedLine> side(OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> h,
            org.apache.flink.util.OutputTag<RejectedLine> tag) {
        return h.getSideOutput(tag) == null ? List.of()
                : h.getSideOutput(tag).stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private static List<Long> watermarks(OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> h) {
        return h.getOutput().stream().filter(o -> o instanceof Watermark).map(o -> ((Watermark) o).getTimestamp())
                .collect(Collectors.toList());
    }

    @Test
    void routesGoodDeadAndLateLinesCountsThemAndMakesTheWatermarks() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> harness = harness()) {
            harness.open();
            harness.processElement(line("a", T0 + 20_000)); // watermark T0 + 9 999
            harness.processElement(line("b", T0 + 10_000)); // just above the watermark: on time
            harness.processElement(line("c", T0 + 9_999)); // at the watermark: late
            harness.processElement(new StreamRecord<>(parser.parse("{oops"), T0));
            harness.processElement(line("d", T0 + 1)); // late
            harness.processWatermark(new Watermark(T0 + 60_000)); // upstream watermarks are not event time here

            List<String> good = harness.extractOutputValues().stream().map(e -> e.userId).collect(Collectors.toList());
            assertThat(good).containsExactly("a", "b");
            assertThat(harness.extractOutputStreamRecords()).extracting(StreamRecord::getTimestamp)
                    .containsExactly(T0 + 20_000, T0 + 10_000);
            assertThat(watermarks(harness)).containsExactly(T0 + 9_999);

            List<RejectedLine> late = side(harness, InputSplitter.LATE_EVENTS);
            assertThat(late).extracting(r -> r.reason).containsExactly("late", "late");
            assertThat(late).extracting(r -> r.eventTime).containsExactly(T0 + 9_999, T0 + 1);
            assertThat(late).extracting(r -> r.watermark).containsOnly(T0 + 9_999);
            assertThat(late.get(0).line).contains("\"userId\":\"c\"");

            List<RejectedLine> dead = side(harness, InputSplitter.DEAD_LETTERS);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).line).isEqualTo("{oops");
            assertThat(dead.get(0).reason).startsWith("malformed_json");

            harness.processWatermark(new Watermark(Long.MAX_VALUE)); // the end of a bounded input passes
            assertThat(watermarks(harness)).containsExactly(T0 + 9_999, Long.MAX_VALUE);
        }
    }

    /**
     * An idle Kafka split coming back: its record arrives before its source's "active", and an
     * output announced idle drops watermarks, so the record makes the output active first; the
     * source's "active" passes on, with the watermark stated again.
     */
    @Test
    void passesIdlenessOnAndStatesTheWatermarkAgainWhenActive() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> harness = harness()) {
            harness.open();
            harness.processElement(line("a", T0));
            harness.processWatermarkStatus(WatermarkStatus.IDLE);
            harness.processElement(line("b", T0 + 60_000));
            harness.processWatermarkStatus(WatermarkStatus.ACTIVE);
            List<String> out = harness.getOutput().stream().map(o -> o instanceof StreamRecord
                    ? "record " + ((ShopperEvent) ((StreamRecord<?>) o).getValue()).userId : o.toString())
                    .collect(Collectors.toList());
            assertThat(out).containsExactly("record a", new Watermark(T0 - 10_001).toString(), WatermarkStatus.IDLE.toString(),
                    WatermarkStatus.ACTIVE.toString(), "record b", new Watermark(T0 + 49_999).toString(),
                    WatermarkStatus.ACTIVE.toString(), new Watermark(T0 + 49_999).toString());
        }
    }

    /** The scenario in miniature: one 2199-dated event among ordinary ones. */
    @Test
    void anEventDatedInTheFutureIsDeadLetteredAndMovesNothing() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> harness = harness()) {
            harness.open();
            harness.processElement(line("a", T0));
            harness.processElement(line("broken-clock", YEAR_2199));
            harness.processElement(line("b", T0 + SECOND));
            harness.processElement(line("c", T0 + HOUR + SECOND)); // exactly the skew ahead of b: on time
            harness.processElement(line("d", T0 + 2 * HOUR + SECOND + 1)); // 1 ms beyond: held, and the input ends
            assertThat(side(harness, InputSplitter.DEAD_LETTERS)).hasSize(1);
            harness.processWatermark(new Watermark(Long.MAX_VALUE));

            assertThat(harness.extractOutputValues()).extracting(e -> e.userId).containsExactly("a", "b", "c");
            assertThat(side(harness, InputSplitter.LATE_EVENTS)).isEmpty();
            List<RejectedLine> dead = side(harness, InputSplitter.DEAD_LETTERS);
            assertThat(dead).extracting(r -> r.reason.split(":")[0]).containsExactly("future_timestamp", "future_timestamp");
            assertThat(dead.get(0).line).contains("broken-clock");
            assertThat(dead.get(0).reason).isEqualTo("future_timestamp: 2199-01-01T00:00:00Z is more than PT1H ahead "
                    + "of the stream's event time " + Instant.ofEpochMilli(T0));
            assertThat(watermarks(harness)).allMatch(w -> w < T0 + 2 * HOUR || w == Long.MAX_VALUE);
            assertThat(harness.getOneInputOperator()).isInstanceOf(InputSplitter.class);
            assertThat(((InputSplitter) harness.getOneInputOperator()).currentEventWatermark())
                    .isEqualTo(T0 + HOUR + SECOND - 10_000 - 1);
        }
    }

    /**
     * A quiet spell is not a broken clock: the first line after a three-hour gap is held, and the next
     * line, far ahead too, shows the stream itself moved on: both are accepted, nothing is lost.
     */
    @Test
    void aGapInTheStreamIsNotAFutureTimestamp() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> harness = harness()) {
            harness.open();
            harness.processElement(line("night", T0));
            harness.processElement(line("morning-1", T0 + 3 * HOUR));
            assertThat(harness.extractOutputValues()).extracting(e -> e.userId).containsExactly("night");
            harness.processElement(line("morning-2", T0 + 3 * HOUR + SECOND));
            assertThat(harness.extractOutputValues()).extracting(e -> e.userId).containsExactly("night", "morning-1", "morning-2");
            assertThat(side(harness, InputSplitter.DEAD_LETTERS)).isEmpty();
            assertThat(watermarks(harness)).containsExactly(T0 - 10_001, T0 + 3 * HOUR - 10_001, T0 + 3 * HOUR + SECOND - 10_001);
        }
    }

    /**
     * A broken clock sends a burst: a session of events, all dated ahead. Its own lines confirm
     * nothing (only another user's line far ahead shows the stream jumped), so the whole burst is
     * dead-lettered and event time stays where the other users are.
     */
    @Test
    void aBurstFromOneBrokenClockIsNotAJump() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> harness = harness()) {
            harness.open();
            harness.processElement(line("a", T0));
            harness.processElement(line("broken-clock", YEAR_2199));
            harness.processElement(line("broken-clock", YEAR_2199 + SECOND));
            harness.processElement(line("broken-clock", YEAR_2199 + 2 * SECOND));
            harness.processElement(line("b", T0 + SECOND));
            harness.processElement(line("c", T0 + 2 * SECOND));

            assertThat(harness.extractOutputValues()).extracting(e -> e.userId).containsExactly("a", "b", "c");
            assertThat(side(harness, InputSplitter.LATE_EVENTS)).isEmpty();
            assertThat(side(harness, InputSplitter.DEAD_LETTERS)).extracting(r -> r.reason.split(":")[0])
                    .containsExactly("future_timestamp", "future_timestamp", "future_timestamp");
            assertThat(watermarks(harness)).allMatch(w -> w < T0 + HOUR);
        }
    }

    /** When another user confirms a jump, a held line far ahead even of the jump is still a broken clock. */
    @Test
    void aJumpDoesNotCarryALineFarAheadOfIt() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> harness = harness()) {
            harness.open();
            harness.processElement(line("night", T0));
            harness.processElement(line("broken-clock", YEAR_2199));
            harness.processElement(line("morning-1", T0 + 3 * HOUR));
            harness.processElement(line("morning-2", T0 + 3 * HOUR + SECOND));
            assertThat(harness.extractOutputValues()).extracting(e -> e.userId).containsExactly("night", "morning-1", "morning-2");
            assertThat(side(harness, InputSplitter.DEAD_LETTERS)).extracting(r -> r.line)
                    .singleElement().asString().contains("broken-clock");
            assertThat(watermarks(harness)).allMatch(w -> w < T0 + 4 * HOUR);
        }
    }

    /** A held line is operator state: after a restore the next line decides it as it would have. */
    @Test
    void aHeldLineSurvivesARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> h = harness()) {
            h.open();
            h.processElement(line("a", T0));
            h.processElement(line("x", YEAR_2199));
            snapshot = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(line("b", T0 + SECOND));
            assertThat(h.extractOutputValues()).extracting(e -> e.userId).containsExactly("b");
            assertThat(side(h, InputSplitter.DEAD_LETTERS)).extracting(r -> r.reason).containsExactly(
                    "future_timestamp: 2199-01-01T00:00:00Z is more than PT1H ahead of the stream's event time " + Instant.ofEpochMilli(T0));
        }
    }

    /**
     * The first line has no event time to be compared with: it defines the stream's event time (a
     * file's first line is trusted); in Kafka mode the record's timestamp bounds it too.
     */
    @Test
    void inKafkaModeTheRecordTimestampBoundsEvenTheFirstEvent() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> harness = harness()) {
            harness.open();
            harness.processElement(kafka("broken-clock", YEAR_2199, T0));
            harness.processElement(kafka("a", T0 + HOUR, T0)); // exactly the skew ahead of its record: on time
            harness.processElement(kafka("b", T0 + HOUR + 1, T0 + 1)); // on time: 1 h ahead of its record, 1 ms of a
            harness.processElement(kafka("c", T0 + 2 * HOUR, T0 + HOUR - 1)); // 1 h + 1 ms ahead of its record

            assertThat(harness.extractOutputValues()).extracting(e -> e.userId).containsExactly("a", "b");
            assertThat(side(harness, InputSplitter.DEAD_LETTERS)).extracting(r -> r.reason)
                    .containsExactly("future_timestamp: 2199-01-01T00:00:00Z is more than PT1H ahead of the record's timestamp "
                                    + Instant.ofEpochMilli(T0),
                            "future_timestamp: " + Instant.ofEpochMilli(T0 + 2 * HOUR) + " is more than PT1H ahead of the record's timestamp "
                                    + Instant.ofEpochMilli(T0 + HOUR - 1));
        }
    }

    /** Lines, outputs and watermarks of the replay below, as the bytes a file output would hold. */
    private List<StreamRecord<ParsedLine>> replay() {
        List<StreamRecord<ParsedLine>> lines = new ArrayList<>();
        lines.add(line("a", T0 + 60 * SECOND));
        lines.add(line("b", T0 + 55 * SECOND));
        lines.add(line("x", YEAR_2199));
        lines.add(line("c", T0 + 62 * SECOND));
        // the checkpoint is taken here
        lines.add(line("d", T0 + 50 * SECOND)); // late: 12 s behind c
        lines.add(line("e", T0 + 53 * SECOND)); // on time: 9 s behind c
        lines.add(line("y", T0 + 3 * HOUR)); // future
        lines.add(line("f", T0 + 70 * SECOND));
        return lines;
    }

    /** The main output (records at their timestamps, watermarks) in order, then the late and dead-letter outputs. */
    private static List<String> bytes(OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> h) {
        StringBuilder main = new StringBuilder();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark) {
                main.append("watermark ").append(((Watermark) o).getTimestamp()).append('\n');
            } else {
                @SuppressWarnings("unchecked")
                StreamRecord<ShopperEvent> r = (StreamRecord<ShopperEvent>) o;
                main.append(r.getTimestamp()).append(' ').append(JsonLines.event(r.getValue())).append('\n');
            }
        }
        StringBuilder late = new StringBuilder();
        side(h, InputSplitter.LATE_EVENTS).forEach(r -> late.append(JsonLines.rejected(r)).append('\n'));
        StringBuilder dead = new StringBuilder();
        side(h, InputSplitter.DEAD_LETTERS).forEach(r -> dead.append(JsonLines.rejected(r)).append('\n'));
        return List.of(main.toString(), late.toString(), dead.toString());
    }

    /** Two runs' outputs one after the other; a restored subtask states its restored watermark again, which changes nothing downstream. */
    private static byte[] joined(List<String> first, List<String> second) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < first.size(); i++) {
            String lastWatermark = null;
            for (String line : (first.get(i) + second.get(i)).lines().collect(Collectors.toList())) {
                if (line.startsWith("watermark ")) {
                    if (line.equals(lastWatermark)) {
                        continue;
                    }
                    lastWatermark = line;
                }
                b.append(line).append('\n');
            }
            b.append("--\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The splitter's event time is checkpointed: after a restore the late and future decisions, and
     * the watermarks, are the ones of an uninterrupted run, byte for byte. Without the state (a start
     * from nothing at the same place) they are not, which shows what the state carries.
     */
    @Test
    void aRestoreGivesTheSameBytesAsAnUninterruptedRun() throws Exception {
        List<StreamRecord<ParsedLine>> lines = replay();
        List<String> uninterrupted;
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> h = harness()) {
            h.open();
            for (StreamRecord<ParsedLine> l : lines) {
                h.processElement(l);
            }
            uninterrupted = bytes(h);
        }

        OperatorSubtaskState snapshot;
        List<String> before;
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> h = harness()) {
            h.open();
            for (StreamRecord<ParsedLine> l : lines.subList(0, 4)) {
                h.processElement(l);
            }
            snapshot = h.snapshot(1, 1);
            before = bytes(h);
        }
        List<String> after;
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> h = harness()) {
            h.initializeState(snapshot);
            h.open();
            for (StreamRecord<ParsedLine> l : lines.subList(4, lines.size())) {
                h.processElement(l);
            }
            after = bytes(h);
        }
        List<String> fresh;
        try (OneInputStreamOperatorTestHarness<ParsedLine, ShopperEvent> h = harness()) {
            h.open();
            for (StreamRecord<ParsedLine> l : lines.subList(4, lines.size())) {
                h.processElement(l);
            }
            fresh = bytes(h);
        }

        assertThat(joined(before, after)).isEqualTo(joined(uninterrupted, List.of("", "", "")));
        assertThat(uninterrupted.get(1)).contains("\"reason\":\"late\"").contains("userId\\\":\\\"d\\\"");
        assertThat(uninterrupted.get(2)).contains("future_timestamp").contains("userId\\\":\\\"y\\\"");
        assertThat(after.get(1)).as("d is late after the restore").contains("userId\\\":\\\"d\\\"");
        assertThat(new String(joined(before, fresh), StandardCharsets.UTF_8)).as("without the state")
                .isNotEqualTo(new String(joined(uninterrupted, List.of("", "", "")), StandardCharsets.UTF_8));
    }
}
