package io.liftstream.jobs.sql;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL script split into statements, each with the line and column where it starts, so an error
 * can name its place in the file.
 *
 * <p>Statements end with {@code ;} outside string literals ({@code '...'} with {@code ''} escapes),
 * quoted identifiers ({@code `...`}, {@code "..."}) and comments ({@code -- ...} to the end of the
 * line, {@code /* ... *&#47;}). Comments before a statement are dropped; comments inside it are kept
 * (Flink's parser skips them), so the planner's line numbers count from the statement's first line.
 * {@code EXECUTE STATEMENT SET BEGIN ... END;} is one statement. A last statement without {@code ;}
 * is accepted.
 *
 * <p>{@code ${name}} in a statement is replaced by the value of variable {@code name} (the
 * command's {@code --set name=value}); {@code ${name:-default}} falls back to {@code default}. An
 * undefined variable without a default is an error at its line.
 */
public final class SqlScript {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)(?::-([^}]*))?}");
    private static final Pattern STATEMENT_SET = Pattern.compile("^(EXECUTE\\s+)?STATEMENT\\s+SET\\s+BEGIN\\b",
            Pattern.CASE_INSENSITIVE);

    /** One statement, without its terminating {@code ;}; {@code line} and {@code column} are 1-based. */
    public record Statement(String sql, int line, int column) {
        /** The statement's first keyword, upper case (e.g. INSERT, SELECT, CREATE, SET). */
        public String keyword() {
            int end = 0;
            while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
                end++;
            }
            return sql.substring(0, end).toUpperCase(Locale.ROOT);
        }
    }

    /** A statement that cannot be prepared (e.g. an undefined variable), with its place. */
    public static final class ScriptException extends RuntimeException {
        public final int line;

        ScriptException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private SqlScript() {}

    public static List<Statement> read(Path file) throws IOException {
        return split(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static List<Statement> split(String script) {
        List<Statement> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int column = 1;
        int startLine = -1;
        int startColumn = -1;
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            char next = i + 1 < n ? script.charAt(i + 1) : '\0';
            int from = i;
            if (c == '-' && next == '-') {
                while (i < n && script.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && next == '*') {
                int close = script.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (c == '\'' || c == '`' || c == '"') {
                i++;
                while (i < n) {
                    if (script.charAt(i) == c) {
                        if (i + 1 < n && script.charAt(i + 1) == c) {
                            i += 2; // doubled quote: an escaped quote inside the literal
                            continue;
                        }
                        i++;
                        break;
                    }
                    i++;
                }
            } else {
                i++;
            }
            String token = script.substring(from, i);
            boolean comment = token.startsWith("--") || token.startsWith("/*");
            boolean blank = token.isBlank();
            if (startLine < 0 && !comment && !blank) {
                startLine = line;
                startColumn = column;
            }
            if (startLine >= 0) {
                if (c == ';' && token.length() == 1 && !insideStatementSet(current)) {
                    add(out, current, startLine, startColumn);
                    current.setLength(0);
                    startLine = -1;
                } else {
                    current.append(token);
                }
            }
            for (int k = 0; k < token.length(); k++) {
                if (token.charAt(k) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
        }
        if (startLine >= 0) {
            add(out, current, startLine, startColumn);
        }
        return out;
    }

    /** Inside {@code STATEMENT SET BEGIN ...} until a statement {@code END}: its {@code ;} do not split. */
    private static boolean insideStatementSet(StringBuilder current) {
        String s = current.toString().strip();
        if (!STATEMENT_SET.matcher(s).find()) {
            return false;
        }
        String upper = s.toUpperCase(Locale.ROOT);
        boolean ended = upper.endsWith("END") && !isIdentifierPart(upper.charAt(upper.length() - 4));
        return !ended;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '`' || c == '.';
    }

    private static void add(List<Statement> out, StringBuilder sql, int line, int column) {
        String s = sql.toString().strip();
        if (!s.isEmpty()) {
            out.add(new Statement(s, line, column));
        }
    }

    /**
     * The statement with its {@code ${name}} variables replaced. A value is text, never SQL: inside a
     * string literal ({@code '...'}) its quotes are doubled, inside a quoted identifier its
     * backticks (or double quotes) are; outside quotes it must be exactly one SQL literal
     * ({@link #RAW_LITERAL}), else the statement is refused. So {@code --set experiment_id="x' OR
     * '1'='1"} compares {@code experiment_id} with that whole text instead of rewriting the
     * {@code WHERE}. A default ({@code ${name:-CURRENT_TIMESTAMP}}) is the script author's SQL and goes
     * in as written. Variables inside comments are left alone: a value ending a {@code --} comment
     * with a line break would otherwise become code.
     */
    public static Statement substitute(Statement s, Map<String, String> variables) {
        String sql = s.sql();
        Matcher m = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        char quote = 0; // the quote we are inside: ' ` " or 0
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
            if (quote == 0 && (c == '-' && next == '-' || c == '/' && next == '*')) {
                int end = c == '-' ? sql.indexOf('\n', i) : sql.indexOf("*/", i + 2);
                end = end < 0 ? n : (c == '-' ? end : end + 2);
                out.append(sql, i, end);
                i = end;
                continue;
            }
            if (c == '$' && m.find(i) && m.start() == i) {
                String value = variables.get(m.group(1));
                if (value == null && m.group(2) != null) {
                    out.append(m.group(2));
                } else if (value == null) {
                    throw new ScriptException(lineAt(s, i), "undefined variable ${" + m.group(1) + "}: give it with --set "
                            + m.group(1) + "=VALUE or write ${" + m.group(1) + ":-default}");
                } else if (quote == 0) {
                    if (!RAW_LITERAL.matcher(value).matches()) {
                        throw new ScriptException(lineAt(s, i), "--set " + m.group(1) + ": ${" + m.group(1) + "} stands outside "
                                + "quotes, where a value must be one SQL literal (a number, 'text', TIMESTAMP '...', "
                                + "INTERVAL '...' unit, TRUE, FALSE, NULL, CURRENT_TIMESTAMP), not " + shown(value));
                    }
                    out.append(value.strip());
                } else {
                    String q = String.valueOf(quote);
                    out.append(value.replace(q, q + q));
                }
                i = m.end();
                continue;
            }
            if (c == '\'' || c == '`' || c == '"') {
                if (quote == 0) {
                    quote = c;
                } else if (quote == c) {
                    if (next == c) {
                        out.append(c).append(c); // a doubled quote: still inside
                        i += 2;
                        continue;
                    }
                    quote = 0;
                }
            }
            out.append(c);
            i++;
        }
        return new Statement(out.toString(), s.line(), s.column());
    }

    /**
     * What a value may be where it stands outside quotes: one literal. A number; a string literal with
     * its inner quotes doubled; {@code TIMESTAMP}, {@code TIMESTAMP_LTZ}, {@code DATE} or {@code TIME}
     * followed by a quoted text without quotes; {@code INTERVAL '...' unit [TO unit]}; or one of the
     * keywords {@code TRUE FALSE NULL CURRENT_TIMESTAMP CURRENT_DATE CURRENT_TIME LOCALTIMESTAMP LOCALTIME}.
     */
    public static final Pattern RAW_LITERAL = Pattern.compile("\\s*(?:"
            + "-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?"
            + "|'(?:[^']|'')*'"
            + "|(?:TIMESTAMP_LTZ|TIMESTAMP|DATE|TIME)\\s*'[^']*'"
            + "|INTERVAL\\s*'[^']*'\\s*(?:YEAR|MONTH|DAY|HOUR|MINUTE|SECOND)(?:\\s+TO\\s+(?:MONTH|HOUR|MINUTE|SECOND))?"
            + "|TRUE|FALSE|NULL|CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME|LOCALTIMESTAMP|LOCALTIME"
            + ")\\s*", Pattern.CASE_INSENSITIVE);

    private static int lineAt(Statement s, int offset) {
        return s.line() + (int) s.sql().substring(0, offset).chars().filter(ch -> ch == '\n').count();
    }

    /** A value for a one-line message: line breaks escaped, at most 80 characters. */
    private static String shown(String value) {
        String v = value.replace("\n", "\\n").replace("\r", "\\r");
        return "\"" + (v.length() > 80 ? v.substring(0, 80) + "..." : v) + "\"";
    }
}
