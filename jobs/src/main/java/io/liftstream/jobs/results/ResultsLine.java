package io.liftstream.jobs.results;

/**
 * One line of any of the results job's inputs after parsing, a Flink POJO: an {@link #input}
 * (exposure or outcome), a {@link #definition}, or an {@link #error} saying why the line is refused.
 * The raw {@link #line} is kept for the dead-letter output.
 */
public class ResultsLine {
    public String line;
    public String error;
    /** The original line's UTF-8 length when {@link #line} is only an excerpt of it (a too-large line); else 0. */
    public long lineBytes;
    public ResultsInput input;
    public DefinitionVersion definition;
    /** A definition's own {@code timestamp} (epoch ms), or null when it has none. */
    public Long definitionTime;

    public ResultsLine() {}

    public static ResultsLine rejected(String line, String error) {
        ResultsLine l = new ResultsLine();
        l.line = line;
        l.error = error;
        return l;
    }

    /** A line over the size limit, never parsed: carried as its excerpt and original length. */
    public static ResultsLine tooLarge(String excerpt, long lineBytes, String error) {
        ResultsLine l = rejected(excerpt, error);
        l.lineBytes = lineBytes;
        return l;
    }

    public static ResultsLine of(String line, ResultsInput input) {
        ResultsLine l = new ResultsLine();
        l.line = line;
        l.input = input;
        return l;
    }

    public static ResultsLine of(String line, DefinitionVersion definition, Long definitionTime) {
        ResultsLine l = new ResultsLine();
        l.line = line;
        l.definition = definition;
        l.definitionTime = definitionTime;
        return l;
    }

    /** The event time this line moves the watermark with, or null (rejected, or a definition without timestamp). */
    public Long eventTime() {
        if (input != null) {
            return input.timestamp;
        }
        return definition != null ? definitionTime : null;
    }
}
