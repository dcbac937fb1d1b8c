package io.liftstream.jobs.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.List;

/**
 * Picocli converters that refuse invalid option values while the command line is parsed, before
 * anything runs: picocli reports them as usage errors naming the option (exit code 2).
 */
final class OptionValues {
    private OptionValues() {}

    /** {@code --starting-offsets}: earliest, latest or committed. */
    static final class StartingOffsets implements ITypeConverter<String> {
        static final List<String> VALUES = List.of("earliest", "latest", "committed");

        @Override
        public String convert(String value) {
            if (!VALUES.contains(value)) {
                throw new TypeConversionException("must be earliest, latest or committed, was '" + value + "'");
            }
            return value;
        }
    }

    /** A count that may be zero but not negative. */
    static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = parse(value);
            if (n < 0) {
                throw new TypeConversionException("must be 0 or more, was " + value);
            }
            return n;
        }
    }

    /** A count of at least one. */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = parse(value);
            if (n < 1) {
                throw new TypeConversionException("must be 1 or more, was " + value);
            }
            return n;
        }
    }

    private static int parse(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number (up to " + Integer.MAX_VALUE + ")");
        }
    }
}
