package io.liftstream.jobs.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.serde.LineLimit;
import io.liftstream.jobs.serde.RejectedLine;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/** A Kafka record over liftstream.input.max-line-bytes is not parsed: a too_large line with its 4 KiB excerpt. */
class ResultsKafkaInputsLimitTest {

    @Test
    void aRecordOverTheLimitIsTooLargeInEveryInput() {
        String event = "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u1\",\"timestamp\":\"2026-11-20T10:00:00Z\","
                + "\"properties\":{\"revenue\":5,\"pad\":\"" + "é".repeat(360_000) + "\"}}";
        byte[] value = event.getBytes(StandardCharsets.UTF_8);
        for (ResultsJob.Stream stream : ResultsJob.Stream.values()) {
            ResultsLine line = new ResultsKafkaInputs.Deserializer(stream, LineLimit.defaults()).deserialize(value);
            assertThat(line.error).as(stream.id).startsWith("too_large: " + value.length + " bytes");
            assertThat(line.lineBytes).isEqualTo(value.length);
            assertThat(line.line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RejectedLine.EXCERPT_BYTES);
            assertThat(event).startsWith(line.line);
        }
        String small = "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u1\",\"timestamp\":\"2026-11-20T10:00:00Z\"}";
        ResultsLine ok = new ResultsKafkaInputs.Deserializer(ResultsJob.Stream.EVENTS, LineLimit.defaults())
                .deserialize(small.getBytes(StandardCharsets.UTF_8));
        assertThat(ok.error).isNull();
        assertThat(ok.input).isNotNull();
    }
}
