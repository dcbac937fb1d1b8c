package io.liftstream.jobs.decisions.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.decisions.DecisionLine;
import io.liftstream.jobs.decisions.DecisionLineParser;
import io.liftstream.jobs.serde.LineLimit;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A Kafka record over liftstream.input.max-line-bytes is not parsed: a too_large line with its 4 KiB excerpt. */
class KafkaDecisionInputsLimitTest {

    @Test
    void aRecordOverTheLimitIsTooLargeAndCarriesOnlyItsExcerpt() {
        String request = "{\"request_id\":\"r1\",\"user_id\":\"u1\",\"experiment_id\":\"ab\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"pad\":\""
                + "日".repeat(350_000) + "\"}";
        byte[] value = request.getBytes(StandardCharsets.UTF_8);
        KafkaDecisionInputs.LineDeserializer deserializer =
                new KafkaDecisionInputs.LineDeserializer(DecisionLineParser.REQUESTS, LineLimit.defaults());
        List<DecisionLine> out = new ArrayList<>();
        deserializer.deserialize(new ConsumerRecord<>("requests", 0, 0, null, value), new ListCollector(out));

        assertThat(out).hasSize(1);
        DecisionLine line = out.get(0);
        assertThat(line.isValid()).isFalse();
        assertThat(line.error).isEqualTo("too_large: " + value.length + " bytes, over liftstream.input.max-line-bytes = 32768");
        assertThat(line.lineBytes).isEqualTo(value.length);
        assertThat(line.line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RejectedLine.EXCERPT_BYTES);
        assertThat(request).startsWith(line.line);

        // a record within the limit is parsed as before
        String small = "{\"request_id\":\"r2\",\"user_id\":\"u2\",\"experiment_id\":\"ab\",\"timestamp\":\"2026-11-20T10:00:00Z\"}";
        out.clear();
        deserializer.deserialize(new ConsumerRecord<>("requests", 0, 1, null, small.getBytes(StandardCharsets.UTF_8)), new ListCollector(out));
        assertThat(out.get(0).isValid()).isTrue();
    }

    private static final class ListCollector implements Collector<DecisionLine> {
        private final List<DecisionLine> out;

        ListCollector(List<DecisionLine> out) {
            this.out = out;
        }

        @Override
        public void collect(DecisionLine record) {
            out.add(record);
        }

        @Override
        public void close() {}
    }
}
