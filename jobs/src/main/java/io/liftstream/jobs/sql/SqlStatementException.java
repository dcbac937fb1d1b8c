package io.liftstream.jobs.sql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement of a script that failed: where ({@code file:line:column}, the position the planner
 * names translated from the statement to the file, else the statement's start) and the planner's
 * (or the job's) message. Parser messages are cut before their long "Was expecting one of" list.
 */
public final class SqlStatementException extends RuntimeException {
    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    public final String file;
    public final int line;
    public final int column;
    public final String reason;

    private SqlStatementException(String file, int line, int column, String reason, Throwable cause) {
        super(file + ":" + line + ":" + column + ": " + reason, cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public static SqlStatementException of(String file, SqlScript.Statement s, Throwable e) {
        return at(file, s.line(), s.column(), e);
    }

    public static SqlStatementException at(String file, int statementLine, int statementColumn, Throwable e) {
        String reason = reason(e);
        int line = statementLine;
        int column = statementColumn;
        Matcher m = POSITION.matcher(reason);
        if (m.find()) {
            int l = Integer.parseInt(m.group(1));
            int c = Integer.parseInt(m.group(2));
            line = statementLine + l - 1;
            column = l == 1 ? statementColumn + c - 1 : c;
        }
        return new SqlStatementException(file, line, column, reason, e);
    }

    /** The planner's message; for a failed job, also its root cause. */
    static String reason(Throwable e) {
        String message = cut(e.getMessage() == null ? e.toString() : e.getMessage());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null) {
            String rootMessage = cut(root.getMessage());
            if (!message.contains(rootMessage)) {
                message = message + " (caused by " + root.getClass().getSimpleName() + ": " + rootMessage + ")";
            }
        }
        return message.strip();
    }

    private static String cut(String message) {
        int expecting = message.indexOf("\nWas expecting");
        return (expecting >= 0 ? message.substring(0, expecting) : message).strip();
    }
}
