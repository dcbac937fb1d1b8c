package io.liftstream.jobs.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The inputs of {@code liftstream bench decide}: two experiments (a fixed A/B test with a holdout,
 * a frequency cap and a conversion reward; a Thompson-sampling bandit over three arms), requests
 * alternating between them from {@code users} users at a steady event-time rate, and orders from a
 * fifth of the requesting users within ten minutes (the rewards). Seeded: the same files every time.
 */
public final class DecisionBenchData {
    public static final long T0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();

    public static final String AB = "{\"experiment_id\":\"ab\",\"arms\":[{\"name\":\"control\",\"weight\":0.5},"
            + "{\"name\":\"treat\",\"weight\":0.5}],\"holdout_pct\":10,\"frequency_cap\":{\"max\":3,\"per\":\"PT1H\"},"
            + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT30M\"}}";
    public static final String BANDIT = "{\"experiment_id\":\"recovery\",\"policy\":\"thompson\",\"arms\":[{\"name\":\"none\"},"
            + "{\"name\":\"reminder\"},{\"name\":\"discount\"}],\"burn_in\":20,\"min_arm_share\":0.05,"
            + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT10M\"}}";

    public final Path requests;
    public final Path events;
    public final Path experiments;
    public final long requestCount;
    public final long eventCount;

    private DecisionBenchData(Path requests, Path events, Path experiments, long requestCount, long eventCount) {
        this.requests = requests;
        this.events = events;
        this.experiments = experiments;
        this.requestCount = requestCount;
        this.eventCount = eventCount;
    }

    /** A request line: {@code i}-th request, by user, to an experiment, at {@code t}. */
    public static String request(long i, String user, long t) {
        return "{\"request_id\":\"r" + i + "\",\"user_id\":\"" + user + "\",\"experiment_id\":\"" + (i % 2 == 0 ? "ab" : "recovery")
                + "\",\"timestamp\":\"" + Instant.ofEpochMilli(t) + "\",\"context\":{\"page\":\"cart\"}}";
    }

    /** Writes the three files into {@code dir}. */
    public static DecisionBenchData write(Path dir, long requests, int users, int perSecond, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<long[]> orders = new ArrayList<>();
        Path req = dir.resolve("requests.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(req, StandardCharsets.UTF_8)) {
            for (long i = 0; i < requests; i++) {
                long t = T0 + i * 1000L / perSecond;
                int user = rnd.nextInt(users);
                w.write(request(i, "u" + user, t));
                w.newLine();
                if (rnd.nextInt(5) == 0) {
                    orders.add(new long[] {t + 1 + rnd.nextInt(600_000), user});
                }
            }
        }
        orders.sort(Comparator.comparingLong(o -> o[0]));
        Path ev = dir.resolve("events.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(ev, StandardCharsets.UTF_8)) {
            int n = 0;
            for (long[] o : orders) {
                w.write(String.format(Locale.ROOT, "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u%d\","
                        + "\"messageId\":\"o%d\",\"timestamp\":\"%s\",\"properties\":{\"revenue\":25.0}}", o[1], n++, Instant.ofEpochMilli(o[0])));
                w.newLine();
            }
        }
        Path exp = dir.resolve("experiments.jsonl");
        Files.write(exp, List.of(AB, BANDIT), StandardCharsets.UTF_8);
        return new DecisionBenchData(req, ev, exp, requests, orders.size());
    }
}
