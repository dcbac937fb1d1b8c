package io.liftstream.jobs.serde;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Dead-letter reasons for broken JSON say what is wrong and where, not how the parser is configured (issue 14). */
class JsonErrorsTest {
    private static final String HEAD = "{\"type\":\"track\",\"event\":\"Product Added\",\"userId\":\"u1\",\"timestamp\":\"2024-01-01T00:00:00Z\"";
    private final SegmentEventParser parser = new SegmentEventParser();

    private String reason(String line) {
        ParsedLine p = parser.parse(line);
        assertThat(p.isValid()).isFalse();
        return p.error;
    }

    @Test
    void anExtraClosingBraceNamesTheColumnNotTheRedactedSource() {
        String reason = reason(HEAD + "}}");
        assertThat(reason).isEqualTo("malformed_json: Unexpected close marker '}': expected ']' at column " + (HEAD.length() + 2));
    }

    @Test
    void parserLimitsAreStatedWithoutTheLibrarysSettingNames() {
        String longNumber = reason(HEAD + ",\"properties\":{\"price\":" + "9".repeat(1200) + "}}");
        assertThat(longNumber).startsWith("malformed_json: Number value length (1200) exceeds the maximum allowed (1000)");
        String deep = reason(HEAD + ",\"properties\":" + "[".repeat(1100) + "]".repeat(1100) + "}");
        assertThat(deep).startsWith("malformed_json: Document nesting depth (1001) exceeds the maximum allowed (1000)");
        for (String r : new String[] {longNumber, deep}) {
            assertThat(r).doesNotContain("Source:").doesNotContain("StreamReadConstraints").doesNotContain("REDACTED");
        }
    }
}
