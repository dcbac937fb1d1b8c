package io.liftstream.jobs.input;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** Size limits of the input lines, shared by the trigger, decision and results jobs. */
public final class InputOptions {
    private InputOptions() {}

    /** Segment's own limit for one call (32 KiB). */
    public static final int DEFAULT_MAX_LINE_BYTES = 32 * 1024;

    public static final ConfigOption<Integer> MAX_LINE_BYTES =
            ConfigOptions.key("liftstream.input.max-line-bytes")
                    .intType()
                    .defaultValue(DEFAULT_MAX_LINE_BYTES)
                    .withDescription(
                            "An input line (or Kafka record value) longer than this many UTF-8 bytes is not parsed: "
                                    + "it goes to the dead letters with reason too_large, carrying only the first "
                                    + "4 KiB of the line. Default 32 KiB, Segment's own limit for one call.");

    /** The configured limit, validated. */
    public static int maxLineBytes(ReadableConfig config) {
        int max = config.get(MAX_LINE_BYTES);
        if (max < 1) {
            throw new IllegalArgumentException(MAX_LINE_BYTES.key() + " must be at least 1, was " + max);
        }
        return max;
    }
}
