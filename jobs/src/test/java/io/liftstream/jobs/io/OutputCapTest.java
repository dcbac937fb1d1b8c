package io.liftstream.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.serde.RejectedLine;
import io.liftstream.triggers.TriggerContext;
import io.liftstream.triggers.TriggerRecord;
import io.liftstream.triggers.TriggerType;

import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** No output record over 64 KiB: such a record becomes an output_too_large dead letter, counted. */
class OutputCapTest {

    private static TriggerRecord browse(String user, int products, int idLength) {
        TriggerContext c = new TriggerContext();
        c.viewCount = products;
        c.productIds = new String[products];
        Arrays.fill(c.productIds, "p".repeat(idLength));
        return TriggerRecord.of(TriggerType.BROWSE_ABANDONED, user, "m", 1_000, 1_000, c);
    }

    @Test
    void aRecordOverTheCapBecomesADeadLetterAndOthersPass() throws Exception {
        TriggerRecord small = browse("u1", 100, 20);
        // 100 product ids of 30 KiB each: within every input limit, far over the output cap
        TriggerRecord huge = browse("u2", 100, 30 * 1024);
        try (OneInputStreamOperatorTestHarness<TriggerRecord, TriggerRecord> harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new OutputCap<TriggerRecord>("triggers", JsonLines::trigger)))) {
            harness.open();
            harness.processElement(new StreamRecord<>(small));
            harness.processElement(new StreamRecord<>(huge));

            assertThat(harness.extractOutputValues()).containsExactly(small);
            List<RejectedLine> dead = harness.getSideOutput(OutputCap.DEAD_LETTERS).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(dead).hasSize(1);
            RejectedLine d = dead.get(0);
            long bytes = JsonLines.trigger(huge).getBytes(StandardCharsets.UTF_8).length;
            assertThat(d.reason).isEqualTo("output_too_large: a triggers record of " + bytes + " bytes, over the 65536-byte cap");
            assertThat(d.stream).isEqualTo("triggers");
            assertThat(d.truncated).isTrue();
            assertThat(d.lineBytes).isEqualTo(bytes);
            assertThat(JsonLines.trigger(huge)).startsWith(d.line);
            assertThat(JsonLines.rejected(d).getBytes(StandardCharsets.UTF_8).length).isLessThan(6 * 1024);
        }
    }

    @Test
    void aRecordItsTopicWouldRefuseBecomesADeadLetterToo() throws Exception {
        TriggerRecord fits = browse("u1", 10, 10);      // about 0.4 KB
        TriggerRecord refused = browse("u2", 100, 30);  // about 3.5 KB: under 64 KiB, over a 3,000-byte topic
        try (OneInputStreamOperatorTestHarness<TriggerRecord, TriggerRecord> harness = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new OutputCap<TriggerRecord>("triggers", JsonLines::trigger, r -> r.userId, 3_000)))) {
            harness.open();
            harness.processElement(new StreamRecord<>(fits));
            harness.processElement(new StreamRecord<>(refused));

            assertThat(harness.extractOutputValues()).containsExactly(fits);
            RejectedLine d = harness.getSideOutput(OutputCap.DEAD_LETTERS).poll().getValue();
            assertThat(d.reason).endsWith("over what the topic accepts (max.message.bytes 3000)");
            assertThat(d.line).isEqualTo(JsonLines.trigger(refused)); // under 4 KiB: whole
            assertThat(d.truncated).isFalse();
        }
    }
}
