package io.liftstream.jobs.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;

/** Lines far over the input limit, as real pipelines deliver them (a 720 KB payload, a 1 MiB one). */
public final class OversizedLines {
    private OversizedLines() {}

    public static final int MIB = 1024 * 1024;
    public static final int KB_720 = 720_000;

    /**
     * {@code line} (a JSON object) with a {@code "blob"} of 2-byte characters added, exactly {@code bytes}
     * UTF-8 bytes long: still valid JSON that would parse, so only the size check can refuse it, and a
     * 4 KiB cut may fall inside a character.
     */
    public static String padded(String line, int bytes) {
        String head = line.substring(0, line.length() - 1) + ",\"blob\":\"";
        String tail = "\"}";
        int room = bytes - utf8(head) - utf8(tail);
        StringBuilder b = new StringBuilder(head);
        if (room % 2 == 1) {
            b.append('x');
        }
        b.append("é".repeat(room / 2)).append(tail);
        String out = b.toString();
        assertThat(utf8(out)).isEqualTo(bytes);
        return out;
    }

    public static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Asserts that {@code deadLetter} is the too_large dead letter of {@code original}: its first 4 KiB, and its length. */
    public static void assertTooLarge(JsonNode deadLetter, String original) {
        assertThat(deadLetter.get("reason").asText()).startsWith("too_large: " + utf8(original) + " bytes");
        String excerpt = deadLetter.get("line").asText();
        assertThat(utf8(excerpt)).isLessThanOrEqualTo(4096).isGreaterThan(4090);
        assertThat(original).startsWith(excerpt); // cut on a character boundary: no replacement character
        assertThat(deadLetter.get("truncated").asBoolean()).isTrue();
        assertThat(deadLetter.get("line_bytes").asLong()).isEqualTo(utf8(original));
        assertThat(utf8(deadLetter.toString())).isLessThan(5 * 1024);
    }
}
