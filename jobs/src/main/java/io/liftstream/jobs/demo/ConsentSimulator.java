package io.liftstream.jobs.demo;

import io.liftstream.jobs.serde.JsonLines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The demo's consent stream: a share of the shoppers who appear in the triggers have opted out of
 * marketing, some before the simulated period (their opt-out is at its start) and some during it (at a
 * uniformly drawn instant). Written as the decision job's control events, {@code {"type":"consent",
 * "user_id","status":"opt_out","timestamp"}}, in time order. Who opts out, and when, depends only on
 * the seed and the user id.
 */
public final class ConsentSimulator {
    public static final double DEFAULT_OPTED_OUT_BEFORE = 0.03;
    public static final double DEFAULT_OPTING_OUT_DURING = 0.02;

    private final long seed;
    private final double optedOutBefore;
    private final double optingOutDuring;

    public ConsentSimulator(long seed, double optedOutBefore, double optingOutDuring) {
        if (!(optedOutBefore >= 0 && optingOutDuring >= 0 && optedOutBefore + optingOutDuring <= 1)) {
            throw new IllegalArgumentException("opt-out shares must be non-negative and add up to at most 1");
        }
        this.seed = seed;
        this.optedOutBefore = optedOutBefore;
        this.optingOutDuring = optingOutDuring;
    }

    public static ConsentSimulator defaults(long seed) {
        return new ConsentSimulator(seed, DEFAULT_OPTED_OUT_BEFORE, DEFAULT_OPTING_OUT_DURING);
    }

    /** What was written. */
    public record Stats(int users, int optedOutBefore, int optingOutDuring) {}

    /**
     * Reads the user ids of {@code triggers} (JSON lines) and writes the opt-outs of the period
     * {@code [start, start + span)} to {@code control}.
     */
    public Stats write(Path triggers, Path control, Instant start, Duration span) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Set<String> users = new LinkedHashSet<>();
        try (BufferedReader r = Files.newBufferedReader(triggers, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String user = mapper.readTree(line).path("user_id").asText("");
                if (!user.isEmpty()) {
                    users.add(user);
                }
            }
        }
        record OptOut(long at, String user) {}
        List<OptOut> optOuts = new ArrayList<>();
        int before = 0;
        int during = 0;
        for (String user : users) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 31L * user.hashCode() + user.length());
            double u = r.nextDouble();
            if (u < optedOutBefore) {
                optOuts.add(new OptOut(start.toEpochMilli(), user));
                before++;
            } else if (u < optedOutBefore + optingOutDuring) {
                optOuts.add(new OptOut(start.toEpochMilli() + r.nextLong(span.toMillis()), user));
                during++;
            }
        }
        optOuts.sort(Comparator.comparingLong(OptOut::at).thenComparing(OptOut::user));
        if (control.toAbsolutePath().getParent() != null) {
            Files.createDirectories(control.toAbsolutePath().getParent());
        }
        try (BufferedWriter w = Files.newBufferedWriter(control, StandardCharsets.UTF_8)) {
            for (OptOut o : optOuts) {
                ObjectNode n = mapper.createObjectNode();
                n.put("type", "consent");
                n.put("user_id", o.user());
                n.put("status", "opt_out");
                n.put("timestamp", JsonLines.instant(o.at()));
                w.write(n.toString());
                w.write('\n');
            }
        }
        return new Stats(users.size(), before, during);
    }
}
