package io.liftstream.jobs.serde;

import io.liftstream.events.ShopperEvent;

/**
 * One input line after parsing: either a valid {@link #event} or an {@link #error} saying why the
 * line was rejected. The raw {@link #line} is kept so a rejected or late line can be published as it
 * came. A Flink POJO.
 */
public class ParsedLine {
    public String line;
    public ShopperEvent event;
    public String error;
    /** The original line's UTF-8 length when {@link #line} is only an excerpt of it (a too-large line); else 0. */
    public long lineBytes;

    public ParsedLine() {}

    public static ParsedLine ok(String line, ShopperEvent event) {
        ParsedLine p = new ParsedLine();
        p.line = line;
        p.event = event;
        return p;
    }

    public static ParsedLine rejected(String line, String error) {
        ParsedLine p = new ParsedLine();
        p.line = line;
        p.error = error;
        return p;
    }

    /** A line over the size limit, never parsed: carried as its excerpt and original length. */
    public static ParsedLine tooLarge(String excerpt, long lineBytes, String error) {
        ParsedLine p = rejected(excerpt, error);
        p.lineBytes = lineBytes;
        return p;
    }

    public boolean isValid() {
        return event != null;
    }
}
