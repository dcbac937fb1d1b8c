package io.liftstream.jobs.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.jobs.input.InputOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/** The input size limit and the 4 KiB excerpt of dead letters and late records (issue 13). */
class BoundedLinesTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void utf8LengthsMatchTheEncoder() {
        for (String s : new String[] {"", "abc", "é", "日本", "😀x", "a\uD800b"}) {
            assertThat(Utf8.length(s)).as(s).isEqualTo(utf8(s));
        }
    }

    @Test
    void prefixesNeverSplitACharacter() {
        String s = "a" + "😀".repeat(10); // 1 + 4 × 10 bytes
        for (int max = 0; max <= 41; max++) {
            String p = Utf8.prefix(s, max);
            String b = Utf8.prefix(s.getBytes(StandardCharsets.UTF_8), max);
            assertThat(s).startsWith(p);
            assertThat(b).isEqualTo(p);
            assertThat(utf8(p)).isLessThanOrEqualTo(max).isGreaterThan(max - 4);
        }
    }

    @Test
    void aLineOverTheLimitIsTooLargeOnlyAboveIt() {
        LineLimit limit = LineLimit.of(new Configuration());
        assertThat(limit.maxBytes()).isEqualTo(32 * 1024);
        String atLimit = "x".repeat(32 * 1024);
        assertThat(limit.excess(atLimit)).isEqualTo(-1);
        assertThat(limit.excess(atLimit + "é")).isEqualTo(32 * 1024 + 2);
        assertThat(limit.excess("é".repeat(16 * 1024))).isEqualTo(-1);
        assertThat(limit.excess("é".repeat(16 * 1024 + 1))).isEqualTo(32 * 1024 + 2);
        assertThat(limit.excess(new byte[32 * 1024 + 1])).isEqualTo(32 * 1024 + 1);
        assertThat(limit.reason(40_000)).isEqualTo("too_large: 40000 bytes, over liftstream.input.max-line-bytes = 32768");

        Configuration small = new Configuration();
        small.set(InputOptions.MAX_LINE_BYTES, 10);
        assertThat(LineLimit.of(small).excess("x".repeat(11))).isEqualTo(11);
        small.set(InputOptions.MAX_LINE_BYTES, 0);
        assertThatThrownBy(() -> LineLimit.of(small)).hasMessage("liftstream.input.max-line-bytes must be at least 1, was 0");
    }

    @Test
    void deadLettersAndLateRecordsCarryAtMostFourKibOfTheLine() throws Exception {
        String line = "{\"a\":\"" + "é".repeat(360_000) + "\"}"; // 720,008 bytes
        RejectedLine dead = RejectedLine.deadLetter(line, "malformed_json: whatever");
        assertThat(utf8(dead.line)).isLessThanOrEqualTo(4096).isGreaterThan(4092);
        assertThat(line).startsWith(dead.line);
        assertThat(dead.truncated).isTrue();
        assertThat(dead.lineBytes).isEqualTo(utf8(line));

        JsonNode json = mapper.readTree(JsonLines.rejected(dead));
        assertThat(json.get("truncated").asBoolean()).isTrue();
        assertThat(json.get("line_bytes").asLong()).isEqualTo(720_008);
        assertThat(utf8(JsonLines.rejected(dead))).isLessThan(5 * 1024);

        RejectedLine late = RejectedLine.late(line, 1, 2);
        assertThat(late.line).isEqualTo(dead.line);
        assertThat(late.lineBytes).isEqualTo(720_008);

        // an excerpt made at the source keeps the original length
        RejectedLine atSource = RejectedLine.deadLetter("events", LineLimit.excerpt(line), 720_008, "too_large: x");
        assertThat(atSource.line).isEqualTo(dead.line);
        assertThat(atSource.lineBytes).isEqualTo(720_008);

        // a short line is written as before: no new fields
        RejectedLine small = RejectedLine.deadLetter("not json", "malformed_json: x");
        assertThat(JsonLines.rejected(small)).isEqualTo("{\"reason\":\"malformed_json: x\",\"line\":\"not json\"}");

        // a reason quoting the input is cut too
        RejectedLine longReason = RejectedLine.deadLetter("x", "invalid_timestamp: " + "9".repeat(100_000));
        assertThat(utf8(longReason.reason)).isEqualTo(RejectedLine.REASON_BYTES);
    }
}
