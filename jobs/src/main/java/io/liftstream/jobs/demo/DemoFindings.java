package io.liftstream.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the demo's files say, read back from them (never from the simulator's knowledge): the
 * allocation of the experiment's decisions per arm over time, holdout and consent counts, and the
 * results job's successive records (the last one is the results table).
 */
public final class DemoFindings {
    /** Decisions of one period, by what they served. */
    public static final class Period {
        public final Instant start;
        /** Treated decisions (assigned or sticky) by arm, in the experiment's arm order. */
        public final Map<String, Long> treated = new LinkedHashMap<>();
        public long holdout;
        public long consent;
        public long other;

        Period(Instant start, List<String> arms) {
            this.start = start;
            arms.forEach(a -> treated.put(a, 0L));
        }

        public long treatedTotal() {
            return treated.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The arm's share of the treated decisions (0 without any). */
        public double share(String arm) {
            long total = treatedTotal();
            return total == 0 ? 0 : (double) treated.getOrDefault(arm, 0L) / total;
        }

        public long total() {
            return treatedTotal() + holdout + consent + other;
        }
    }

    /** One point of a treatment arm's confidence sequence: the lift and its always-valid interval as of a time. */
    public record LiftPoint(Instant asOf, double lift, double lower, double upper, double pValue) {}

    public final List<String> arms;
    /** Per reporting period (a simulated day), in time order. */
    public final List<Period> days;
    /** Per chart period (six simulated hours), in time order. */
    public final List<Period> parts;
    public final long decisions;
    public final long holdoutDecisions;
    public final long consentDecisions;
    public final Set<String> consentUsers;
    /** Treatment arm → its lift against control over time, from each result record. */
    public final Map<String, List<LiftPoint>> liftOverTime;
    /** The results job's last record for the experiment (null if none). */
    public final JsonNode last;
    public final int resultRecords;

    private DemoFindings(List<String> arms, List<Period> days, List<Period> parts, long decisions, long holdoutDecisions,
            long consentDecisions, Set<String> consentUsers, Map<String, List<LiftPoint>> liftOverTime, JsonNode last,
            int resultRecords) {
        this.arms = arms;
        this.days = days;
        this.parts = parts;
        this.decisions = decisions;
        this.holdoutDecisions = holdoutDecisions;
        this.consentDecisions = consentDecisions;
        this.consentUsers = consentUsers;
        this.liftOverTime = liftOverTime;
        this.last = last;
        this.resultRecords = resultRecords;
    }

    /**
     * Reads the decisions and results of {@code experimentId}; periods of {@code day} and {@code part}
     * length are counted from {@code origin}.
     */
    public static DemoFindings read(Path decisions, Path results, String experimentId, List<String> arms, Instant origin,
            Duration day, Duration part) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        TreeMap<Long, Period> days = new TreeMap<>();
        TreeMap<Long, Period> parts = new TreeMap<>();
        long total = 0;
        long holdout = 0;
        long consent = 0;
        Set<String> consentUsers = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(decisions, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode d = mapper.readTree(line);
                if (!experimentId.equals(d.path("experiment_id").asText())) {
                    continue;
                }
                total++;
                long t = Instant.parse(d.get("timestamp").asText()).toEpochMilli();
                String reason = d.path("reason").asText();
                if ("holdout".equals(reason)) {
                    holdout++;
                } else if ("consent".equals(reason)) {
                    consent++;
                    consentUsers.add(d.path("user_id").asText());
                }
                for (var entry : List.of(Map.entry(days, day), Map.entry(parts, part))) {
                    long index = Math.floorDiv(t - origin.toEpochMilli(), entry.getValue().toMillis());
                    Period p = entry.getKey().computeIfAbsent(index,
                            i -> new Period(origin.plusMillis(i * entry.getValue().toMillis()), arms));
                    switch (reason) {
                        case "assigned", "sticky" -> p.treated.merge(d.path("arm").asText(), 1L, Long::sum);
                        case "holdout" -> p.holdout++;
                        case "consent" -> p.consent++;
                        default -> p.other++;
                    }
                }
            }
        }
        Map<String, List<LiftPoint>> lifts = new LinkedHashMap<>();
        arms.stream().skip(1).forEach(a -> lifts.put(a, new ArrayList<>()));
        JsonNode last = null;
        int records = 0;
        try (BufferedReader r = Files.newBufferedReader(results, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode n = mapper.readTree(line);
                if (!experimentId.equals(n.path("experiment_id").asText())) {
                    continue;
                }
                records++;
                last = n;
                Instant asOf = Instant.parse(n.get("as_of").asText());
                for (JsonNode c : n.path("comparisons")) {
                    List<LiftPoint> series = lifts.get(c.path("arm").asText());
                    if (series != null && c.path("ci_lower").isNumber() && c.path("ci_upper").isNumber()) {
                        series.add(new LiftPoint(asOf, c.path("expected").asDouble(), c.path("ci_lower").asDouble(),
                                c.path("ci_upper").asDouble(), c.path("p_value").asDouble(Double.NaN)));
                    }
                }
            }
        }
        return new DemoFindings(List.copyOf(arms), new ArrayList<>(days.values()), new ArrayList<>(parts.values()), total, holdout,
                consent, consentUsers, lifts, last, records);
    }

    /** Users in the holdout group and among the treated, from the last result ({0, 0} without one). */
    public long[] holdoutAndTreatedUsers() {
        JsonNode arms = last == null ? null : last.path("holdout").path("arms");
        if (arms == null || !arms.isArray() || arms.size() < 2) {
            return new long[] {0, 0};
        }
        return new long[] {arms.get(0).path("n").asLong(), arms.get(1).path("n").asLong()};
    }

    /** The console summary. */
    public void print(PrintWriter out, ShopperResponses responses) {
        out.println("Allocation of the recovery messages per simulated day (share of the messages sent; the bandit learns");
        out.println("from the orders only, the true conversion rates are the simulator's secret):");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-12s %9s", "day", "decisions"));
        for (String arm : arms) {
            head.append(String.format(Locale.ROOT, " %18s", arm + " (" + pct0(responses.rates().get(arm)) + ")"));
        }
        head.append(String.format(Locale.ROOT, " %8s %8s", "holdout", "consent"));
        out.println(head);
        int i = 1;
        for (Period p : days) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-12s %,9d", "day " + i++ + " " + p.start.toString().substring(5, 10),
                    p.total()));
            for (String arm : arms) {
                row.append(String.format(Locale.ROOT, " %17.1f%%", 100 * p.share(arm)));
            }
            row.append(String.format(Locale.ROOT, " %,8d %,8d", p.holdout, p.consent));
            out.println(row);
        }
        long[] users = holdoutAndTreatedUsers();
        out.printf(Locale.ROOT, "holdout: %,d users (%.1f%% of the %,d exposed users; target 5%%), no message, counted as the holdout group%n",
                users[0], users[0] + users[1] == 0 ? 0 : 100.0 * users[0] / (users[0] + users[1]), users[0] + users[1]);
        out.printf(Locale.ROOT, "consent: %,d decisions for %,d opted-out users served the default experience with reason consent%n",
                consentDecisions, consentUsers.size());
        out.println();
        if (last == null) {
            out.println("no results");
            return;
        }
        out.printf(Locale.ROOT, "Results of %s as of %s (%s, alpha %s, %d result records; sequential results are valid at every look):%n",
                last.path("experiment_id").asText(), last.path("as_of").asText(), last.path("method").asText(),
                "0.05", resultRecords);
        out.printf(Locale.ROOT, "  %-14s %7s %8s %10s  %-34s %8s%n", "arm", "users", "orders", "conversion",
                "lift vs control [always-valid CI]", "p (Holm)");
        Map<String, JsonNode> comparisons = new LinkedHashMap<>();
        last.path("comparisons").forEach(c -> comparisons.put(c.path("arm").asText(), c));
        for (JsonNode a : last.path("arms")) {
            String name = a.path("name").asText();
            long n = a.path("n").asLong();
            double mean = a.path("mean").asDouble(Double.NaN);
            JsonNode c = comparisons.get(name);
            String lift = c == null ? "(control)" : String.format(Locale.ROOT, "%+.1f%% [%+.1f%%, %+.1f%%]", 100 * c.path("expected").asDouble(),
                    100 * c.path("ci_lower").asDouble(), 100 * c.path("ci_upper").asDouble());
            String p = c == null ? "" : String.format(Locale.ROOT, "%.4f", c.path("p_value_adjusted").asDouble());
            out.printf(Locale.ROOT, "  %-14s %,7d %,8d %9.2f%%  %-34s %8s%n", name, n, Math.round(mean * n), 100 * mean, lift, p);
        }
        JsonNode h = last.path("holdout");
        if (h.isObject() && h.path("arms").size() == 2) {
            JsonNode hc = h.path("comparisons").path(0);
            JsonNode ha = h.path("arms").get(0);
            out.printf(Locale.ROOT, "  %-14s %,7d %,8d %9.2f%%  %-34s %8s%n", "holdout", ha.path("n").asLong(),
                    Math.round(ha.path("mean").asDouble() * ha.path("n").asLong()), 100 * ha.path("mean").asDouble(),
                    hc.isObject() ? String.format(Locale.ROOT, "treated vs holdout %+.0f%% [%+.0f%%, %+.0f%%]", 100 * hc.path("expected").asDouble(),
                            100 * hc.path("ci_lower").asDouble(), 100 * hc.path("ci_upper").asDouble()) : "",
                    hc.isObject() ? String.format(Locale.ROOT, "%.4f", hc.path("p_value").asDouble()) : "");
        }
        out.printf(Locale.ROOT, "SRM: %s; holdout share SRM p = %s%n",
                last.path("srm_p_value").isNumber() ? String.format(Locale.ROOT, "p = %.4f", last.path("srm_p_value").asDouble())
                        : "not applicable to an adaptive allocation (thompson)",
                h.path("srm_p_value").isNumber() ? String.format(Locale.ROOT, "%.4f", h.path("srm_p_value").asDouble()) : "n/a");
        out.printf(Locale.ROOT, "recommendation: %s%n  because %s%n", last.path("recommendation").asText(), last.path("reason").asText());
        Period lastDay = lastFullDay();
        if (lastDay != null && !arms.isEmpty()) {
            String top = arms.get(0);
            for (String arm : arms) {
                if (lastDay.share(arm) > lastDay.share(top)) {
                    top = arm;
                }
            }
            out.printf(Locale.ROOT, "The bandit sent %.0f%% of the last full day's messages to %s (%.0f%% on day 1).", 100 * lastDay.share(top), top,
                    100 * days.get(0).share(top));
            if ("continue".equals(last.path("recommendation").asText())) {
                out.printf(Locale.ROOT, " Earning while learning has a price: control kept%nlittle traffic, so the always-valid "
                        + "comparison against it may need more users before it can recommend shipping.");
            }
            out.println();
        }
    }

    /** The last simulated day with at least half the busiest day's decisions (the final day may be a stub). */
    public Period lastFullDay() {
        long max = days.stream().mapToLong(Period::total).max().orElse(0);
        Period found = null;
        for (Period p : days) {
            if (p.total() * 2 >= max && max > 0) {
                found = p;
            }
        }
        return found;
    }

    private static String pct0(Double rate) {
        return rate == null ? "?" : String.format(Locale.ROOT, "%.0f%%", 100 * rate);
    }
}
