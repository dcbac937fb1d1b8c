package io.liftstream.jobs.datasets;

import io.liftstream.jobs.serde.JsonLines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Converts the Taobao "User Behavior" CSV (Alibaba Tianchi; {@code user_id,item_id,category_id,
 * behavior_type,timestamp}, no header, epoch seconds) into Segment {@code track} JSON lines that
 * {@code liftstream triggers} reads.
 *
 * <p>Mapping: {@code pv} → Product Viewed, {@code cart} → Product Added, {@code buy} → Order
 * Completed, {@code fav} → "Product Added to Wishlist" (not an e-commerce spec event Liftstream
 * interprets: it counts as activity only). {@code userId} = user_id, {@code properties.product_id}
 * = item_id, {@code properties.category} = category_id (both kept as strings), {@code messageId} =
 * {@code taobao-<line number>} (1-based physical line of the CSV, so ids are stable across runs and
 * point back at the source row).
 *
 * <p>Ordering (the dataset has one-second resolution and many ties): rows are sorted by timestamp
 * with a stable sort, so rows of the same second keep their file order; then the rows of each second
 * are spaced 1 ms apart in that order ({@code second * 1000 + k} for the k-th row of the second,
 * counted over all users). Every event therefore gets a distinct millisecond and the output is in
 * strictly increasing event time, so a replay has no late events and no ties for the patterns to
 * break arbitrarily. The same rule applies to files grouped by user (the 9-day histories): they come
 * out in global time order. A second with more than 1000 rows cannot be spaced this way and is
 * refused.
 *
 * <p>Timestamps must lie in 1990..2200 (epoch seconds {@link #MIN_SECONDS} inclusive to {@link
 * #MAX_SECONDS} exclusive), the range the trigger job accepts: a millisecond value read as seconds
 * would otherwise become a year like 49872, and a negative one 1969. Such rows are not converted but
 * dead-lettered, one JSON line each ({@code {"reason":"timestamp_out_of_range: ...","line":"<the CSV
 * row>"}}, in file order), and counted: rows in = events + dead letters (+ blank and header lines).
 *
 * <p>Malformed rows (not five fields, an empty user, an unknown behaviour, a timestamp that is not
 * a whole number) are refused with their line number; blank lines and a header line are skipped.
 */
public final class TaobaoConverter {
    private TaobaoConverter() {}

    public static final String MESSAGE_ID_PREFIX = "taobao-";
    public static final String HEADER = "user_id,item_id,category_id,behavior_type,timestamp";
    /** 1990-01-01T00:00:00Z: the earliest timestamp converted (as the trigger job's parser). */
    public static final long MIN_SECONDS = 631_152_000L;
    /** 2200-01-01T00:00:00Z: timestamps from here on are refused. */
    public static final long MAX_SECONDS = 7_258_118_400L;
    /** Reason code of a dead-lettered row. */
    public static final String OUT_OF_RANGE = "timestamp_out_of_range";

    /** The four Taobao behaviours and the Segment event each becomes. */
    public enum Behavior {
        PV("pv", "Product Viewed"),
        CART("cart", "Product Added"),
        BUY("buy", "Order Completed"),
        FAV("fav", "Product Added to Wishlist");

        public final String code;
        public final String segmentEvent;

        Behavior(String code, String segmentEvent) {
            this.code = code;
            this.segmentEvent = segmentEvent;
        }

        static Behavior ofCode(String code) {
            for (Behavior b : values()) {
                if (b.code.equals(code)) {
                    return b;
                }
            }
            return null;
        }
    }

    /** One CSV row. */
    public static final class Row {
        public final long line;
        public final String userId;
        public final String itemId;
        public final String categoryId;
        public final Behavior behavior;
        public final long epochSeconds;
        /** The CSV line as read. */
        public final String csvLine;

        Row(long line, String userId, String itemId, String categoryId, Behavior behavior, long epochSeconds, String csvLine) {
            this.line = line;
            this.csvLine = csvLine;
            this.userId = userId;
            this.itemId = itemId;
            this.categoryId = categoryId;
            this.behavior = behavior;
            this.epochSeconds = epochSeconds;
        }
    }

    /** What a conversion produced. */
    public static final class Summary {
        public final long events;
        public final Map<Behavior, Long> byBehavior;
        public final long users;
        /** Rows that shared their second with an earlier row and were moved by the 1 ms spacing. */
        public final long spacedRows;
        public final long firstMillis;
        public final long lastMillis;
        /** Rows not converted because their timestamp lies outside 1990..2200. */
        public long deadLettered;

        Summary(long events, Map<Behavior, Long> byBehavior, long users, long spacedRows, long firstMillis, long lastMillis) {
            this.events = events;
            this.byBehavior = byBehavior;
            this.users = users;
            this.spacedRows = spacedRows;
            this.firstMillis = firstMillis;
            this.lastMillis = lastMillis;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Parses one CSV line (1-based {@code lineNumber}); null for a blank or header line. */
    public static Row parse(long lineNumber, String csvLine) {
        String line = csvLine.strip();
        if (line.isEmpty() || line.equals(HEADER)) {
            return null;
        }
        String[] f = line.split(",", -1);
        if (f.length != 5) {
            throw new IllegalArgumentException("line " + lineNumber + ": expected 5 fields (" + HEADER + "), got "
                    + f.length + ": " + csvLine);
        }
        if (f[0].isEmpty()) {
            throw new IllegalArgumentException("line " + lineNumber + ": empty user_id: " + csvLine);
        }
        Behavior behavior = Behavior.ofCode(f[3]);
        if (behavior == null) {
            throw new IllegalArgumentException("line " + lineNumber + ": unknown behavior_type '" + f[3]
                    + "' (known: pv, cart, buy, fav)");
        }
        long seconds;
        try {
            seconds = Long.parseLong(f[4]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line " + lineNumber + ": timestamp '" + f[4] + "' is not epoch seconds");
        }
        return new Row(lineNumber, f[0], f[1], f[2], behavior, seconds, csvLine);
    }

    /** {@link #convert(Path, Path, Path)} with the dead letters in {@code <output>.dead-letters.jsonl}. */
    public static Summary convert(Path input, Path output) throws IOException {
        return convert(input, output, deadLettersOf(output));
    }

    /** The default dead-letter file of {@code output}: its extension replaced by {@code .dead-letters.jsonl}. */
    public static Path deadLettersOf(Path output) {
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return output.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".dead-letters.jsonl");
    }

    /**
     * Reads {@code input}, writes JSON lines to {@code output} and rows with an out-of-range
     * timestamp to {@code deadLetters} (both replaced). The whole file is parsed first, so a
     * malformed row leaves both untouched.
     */
    public static Summary convert(Path input, Path output, Path deadLetters) throws IOException {
        List<Row> outOfRange = new ArrayList<>();
        List<Row> rows = replayOrder(Files.readAllLines(input, StandardCharsets.UTF_8), outOfRange::add);
        for (Path p : new Path[] {output, deadLetters}) {
            Path parent = p.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        }
        Summary summary;
        try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            summary = write(rows, json -> {
                try {
                    w.write(json);
                    w.newLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        try (BufferedWriter w = Files.newBufferedWriter(deadLetters, StandardCharsets.UTF_8)) {
            for (Row r : outOfRange) {
                w.write(deadLetter(r));
                w.newLine();
            }
        }
        summary.deadLettered = outOfRange.size();
        return summary;
    }

    /** Whether {@code epochSeconds} lies in 1990..2200, the range converted. */
    public static boolean inRange(long epochSeconds) {
        return epochSeconds >= MIN_SECONDS && epochSeconds < MAX_SECONDS;
    }

    /** The dead-letter line of an out-of-range row: reason code, detail and the CSV row. */
    static String deadLetter(Row r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("reason", OUT_OF_RANGE + ": line " + r.line + ": timestamp " + r.epochSeconds
                + " is outside 1990..2200 in epoch seconds" + (r.epochSeconds >= MAX_SECONDS ? " (milliseconds?)" : ""));
        o.put("line", r.csvLine);
        return o.toString();
    }

    /**
     * Parses every line and sorts the rows by timestamp, stably (ties keep file order); refuses a
     * second with more than 1000 rows. Rows outside 1990..2200 go to {@code outOfRange}, in file order.
     */
    static List<Row> replayOrder(List<String> csvLines, Consumer<Row> outOfRange) {
        List<Row> rows = new ArrayList<>(csvLines.size());
        for (int i = 0; i < csvLines.size(); i++) {
            Row row = parse(i + 1, csvLines.get(i));
            if (row == null) {
                continue;
            }
            if (inRange(row.epochSeconds)) {
                rows.add(row);
            } else {
                outOfRange.accept(row);
            }
        }
        rows.sort(Comparator.comparingLong(r -> r.epochSeconds)); // List.sort is stable
        for (int i = 1000; i < rows.size(); i++) {
            if (rows.get(i).epochSeconds == rows.get(i - 1000).epochSeconds) {
                throw new IllegalArgumentException("more than 1000 rows share second " + rows.get(i).epochSeconds
                        + ": spacing them 1 ms apart would overlap the next second");
            }
        }
        return rows;
    }

    /** Spaces the rows of each second 1 ms apart and emits their JSON, in order. */
    private static Summary write(List<Row> rows, Consumer<String> sink) {
        Map<Behavior, Long> byBehavior = new EnumMap<>(Behavior.class);
        for (Behavior b : Behavior.values()) {
            byBehavior.put(b, 0L);
        }
        Set<String> users = new HashSet<>();
        long spaced = 0;
        long second = Long.MIN_VALUE;
        int k = 0;
        long first = 0;
        long last = 0;
        for (Row row : rows) {
            if (row.epochSeconds == second) {
                k++; // below 1000: replayOrder refused crowded seconds
                spaced++;
            } else {
                second = row.epochSeconds;
                k = 0;
            }
            long millis = Math.multiplyExact(row.epochSeconds, 1000L) + k;
            if (users.isEmpty()) {
                first = millis;
            }
            last = millis;
            byBehavior.merge(row.behavior, 1L, Long::sum);
            users.add(row.userId);
            sink.accept(toJson(row, millis));
        }
        return new Summary(rows.size(), byBehavior, users.size(), spaced, first, last);
    }

    /** The Segment track call of {@code row} at {@code millis}. */
    public static String toJson(Row row, long millis) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "track");
        o.put("event", row.behavior.segmentEvent);
        o.put("userId", row.userId);
        o.put("messageId", MESSAGE_ID_PREFIX + row.line);
        o.put("timestamp", JsonLines.instant(millis));
        ObjectNode properties = o.putObject("properties");
        properties.put("product_id", row.itemId);
        properties.put("category", row.categoryId);
        return o.toString();
    }
}
