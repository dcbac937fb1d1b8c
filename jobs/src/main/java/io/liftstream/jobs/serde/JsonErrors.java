package io.liftstream.jobs.serde;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.regex.Pattern;

/**
 * What went wrong in a line that is not valid JSON, said for the person who wrote the line: Jackson's
 * own message without the parser's internals (its redacted source location, the names of its
 * constraint settings), followed by the column. Dead-letter reasons and error lines use it.
 */
public final class JsonErrors {
    private static final Pattern STARTING_AT = Pattern.compile("\\s*\\(for \\w+ starting at \\[Source:[^\\]]*\\]\\)");
    private static final Pattern SOURCE = Pattern.compile("\\s*\\[Source:[^\\]]*\\]");
    private static final Pattern CONSTRAINT = Pattern.compile(", from `StreamReadConstraints\\.\\w+\\(\\)`");

    private JsonErrors() {}

    /** e.g. {@code Unexpected close marker '}': expected ']' at column 80}. */
    public static String describe(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        m = STARTING_AT.matcher(m).replaceAll("");
        m = SOURCE.matcher(m).replaceAll("");
        m = CONSTRAINT.matcher(m).replaceAll("");
        JsonLocation at = e.getLocation();
        if (at != null && at.getColumnNr() > 0) {
            m = m + " at column " + at.getColumnNr();
        }
        return m;
    }
}
