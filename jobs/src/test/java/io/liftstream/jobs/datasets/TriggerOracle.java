package io.liftstream.jobs.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A reference implementation of the four trigger definitions, written from their prose and sharing
 * no code with the production patterns: no Flink, no CEP, no {@code CartLedger}. It decides
 * lateness on the input order, then sorts each user's on-time events by time (stably) and walks
 * them. Slow and simple on purpose: a second opinion for replays of real data.
 *
 * <p>Definitions (defaults in {@link Settings#defaults()}):
 * <ol>
 *   <li>cart_abandoned: a Product Added followed by {@code cartTimeout} of event time with neither
 *       another Product Added nor an Order Completed; one per silence, anchored on its last add, at
 *       {@code add + timeout}. An event exactly at {@code add + timeout} does not prevent it. The cart
 *       at that instant is the products added after the user's last Order Completed (events at the
 *       order's millisecond belong to it) minus removals, counting events strictly before the
 *       instant; an empty cart fires nothing. At the end of input pending silences fire.
 *   <li>checkout_abandoned: a Checkout Started not followed within {@code checkoutTimeout} by an
 *       Order Completed; a further Checkout Started restarts the timeout (anchor: the last one).
 *   <li>browse_abandoned: a run of at least {@code browseViews} Product Viewed, consecutive views
 *       less than {@code browseTimeout} apart, no Product Added or Order Completed among them (other
 *       events neutral), then {@code browseTimeout} after the last view with no view, add or order:
 *       fires once per run, anchored on the last view, at {@code last view + timeout}.
 *   <li>engagement_spike: {@code spikeCount} consecutive events of a user with the first and the
 *       last strictly less than {@code spikeWindow} apart; greedy and non-overlapping (counting
 *       restarts after the event that completed a spike); anchored on that event, at its time. A
 *       spike less than {@code spikeWindow} after the user's previous emitted spike is dropped.
 * </ol>
 *
 * <p>Lateness: after each valid event in input order the watermark becomes {@code max event time
 * - outOfOrderness - 1} (it never decreases); an event at or below the watermark in force when it
 * arrives is late and takes no part in any trigger.
 */
final class TriggerOracle {
    private TriggerOracle() {}

    static final String CART_ABANDONED = "cart_abandoned";
    static final String CHECKOUT_ABANDONED = "checkout_abandoned";
    static final String BROWSE_ABANDONED = "browse_abandoned";
    static final String ENGAGEMENT_SPIKE = "engagement_spike";
    static final List<String> TRIGGERS = List.of(CART_ABANDONED, CHECKOUT_ABANDONED, BROWSE_ABANDONED, ENGAGEMENT_SPIKE);

    static final String VIEWED = "Product Viewed";
    static final String ADDED = "Product Added";
    static final String REMOVED = "Product Removed";
    static final String CHECKOUT = "Checkout Started";
    static final String ORDERED = "Order Completed";

    /** The parameters, in milliseconds; written out here rather than read from the production defaults. */
    record Settings(long outOfOrderness, long cartTimeout, long checkoutTimeout, int browseViews, long browseTimeout,
            int spikeCount, long spikeWindow) {
        static Settings defaults() {
            return new Settings(Duration.ofSeconds(10).toMillis(), Duration.ofMinutes(30).toMillis(),
                    Duration.ofMinutes(60).toMillis(), 3, Duration.ofMinutes(30).toMillis(), 20,
                    Duration.ofMinutes(5).toMillis());
        }
    }

    /** One input event; {@code quantity} null when absent. */
    record Event(String messageId, String userId, String name, long time, String product, Integer quantity) {}

    /** What identifies a trigger. */
    record Trigger(String trigger, String userId, long eventTime, String anchorMessageId) {
        @Override
        public String toString() {
            return trigger + " " + userId + " " + Instant.ofEpochMilli(eventTime) + " " + anchorMessageId;
        }
    }

    /** The oracle's verdict. */
    record Result(List<Event> late, Set<Trigger> triggers) {
        Map<String, Long> counts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            TRIGGERS.forEach(t -> counts.put(t, 0L));
            triggers.forEach(t -> counts.merge(t.trigger(), 1L, Long::sum));
            return counts;
        }
    }

    // ---------------------------------------------------------------- input

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Reads Segment track JSON lines: identity {@code userId} else {@code anonymousId}, {@code
     * event}, {@code messageId} (required here), {@code timestamp} (ISO-8601 or epoch millis),
     * {@code properties.product_id} else {@code sku}, {@code properties.quantity}. Blank lines are
     * skipped; anything unexpected fails loudly (the replays feed only clean lines).
     */
    static List<Event> read(Path jsonLines) {
        try {
            List<Event> events = new ArrayList<>();
            for (String line : Files.readAllLines(jsonLines, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    events.add(parse(line));
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Event parse(String line) throws IOException {
        JsonNode o = MAPPER.readTree(line);
        String user = o.hasNonNull("userId") && !o.get("userId").asText().isEmpty()
                ? o.get("userId").asText() : o.path("anonymousId").asText(null);
        JsonNode ts = o.get("timestamp");
        long time = ts.isNumber() ? ts.asLong() : Instant.parse(ts.asText()).toEpochMilli();
        JsonNode p = o.path("properties");
        String product = p.hasNonNull("product_id") ? p.get("product_id").asText()
                : p.hasNonNull("sku") ? p.get("sku").asText() : null;
        Integer quantity = p.hasNonNull("quantity") ? p.get("quantity").asInt() : null;
        Event e = new Event(o.get("messageId").asText(), user, o.get("event").asText(), time, product, quantity);
        if (e.userId() == null || e.messageId().isEmpty()) {
            throw new IllegalArgumentException("the oracle needs userId and messageId: " + line);
        }
        return e;
    }

    // ---------------------------------------------------------------- the walk

    static Result run(List<Event> inputOrder, Settings s) {
        List<Event> late = new ArrayList<>();
        Map<String, List<Event>> byUser = new TreeMap<>();
        long watermark = Long.MIN_VALUE;
        for (Event e : inputOrder) {
            if (e.time() <= watermark) {
                late.add(e);
            } else {
                byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e);
            }
            watermark = Math.max(watermark, e.time() - s.outOfOrderness() - 1);
        }
        Set<Trigger> triggers = new HashSet<>();
        for (List<Event> events : byUser.values()) {
            events.sort(Comparator.comparingLong(Event::time)); // stable: ties keep input order
            cartAbandoned(events, s, triggers);
            checkoutAbandoned(events, s, triggers);
            browseAbandoned(events, s, triggers);
            engagementSpikes(events, s, triggers);
        }
        return new Result(late, triggers);
    }

    /** For each add: the next add or order (in time order) must come at or after add + timeout. */
    static void cartAbandoned(List<Event> events, Settings s, Set<Trigger> out) {
        for (int i = 0; i < events.size(); i++) {
            Event add = events.get(i);
            if (!add.name().equals(ADDED)) {
                continue;
            }
            long abandonedAt = add.time() + s.cartTimeout();
            Event next = nextOf(events, i, ADDED, ORDERED);
            if (next != null && next.time() < abandonedAt) {
                continue;
            }
            if (cartSize(events, abandonedAt) > 0) {
                out.add(new Trigger(CART_ABANDONED, add.userId(), abandonedAt, add.messageId()));
            }
        }
    }

    /** Units in the cart at {@code instant}: see the class comment. */
    static int cartSize(List<Event> timeOrdered, long instant) {
        long lastOrder = Long.MIN_VALUE;
        for (Event e : timeOrdered) {
            if (e.time() < instant && e.name().equals(ORDERED)) {
                lastOrder = e.time();
            }
        }
        Map<String, Integer> units = new LinkedHashMap<>();
        for (Event e : timeOrdered) {
            if (e.time() >= instant) {
                break;
            }
            if (e.time() <= lastOrder) {
                continue;
            }
            String product = Objects.requireNonNullElse(e.product(), "");
            if (e.name().equals(ADDED)) {
                units.merge(product, e.quantity() == null ? 1 : e.quantity(), Integer::sum);
            } else if (e.name().equals(REMOVED) && units.containsKey(product)) {
                units.put(product, e.quantity() == null ? 0 : units.get(product) - e.quantity());
            }
            units.values().removeIf(n -> n <= 0);
        }
        return units.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** For each Checkout Started: the next checkout or order must come at or after it + timeout. */
    static void checkoutAbandoned(List<Event> events, Settings s, Set<Trigger> out) {
        for (int i = 0; i < events.size(); i++) {
            Event checkout = events.get(i);
            if (!checkout.name().equals(CHECKOUT)) {
                continue;
            }
            long abandonedAt = checkout.time() + s.checkoutTimeout();
            Event next = nextOf(events, i, CHECKOUT, ORDERED);
            if (next == null || next.time() >= abandonedAt) {
                out.add(new Trigger(CHECKOUT_ABANDONED, checkout.userId(), abandonedAt, checkout.messageId()));
            }
        }
    }

    /** Browsing runs: a view, add or order at or after last view + timeout closes the run first. */
    static void browseAbandoned(List<Event> events, Settings s, Set<Trigger> out) {
        List<Event> run = new ArrayList<>();
        for (Event e : events) {
            boolean view = e.name().equals(VIEWED);
            if (!view && !e.name().equals(ADDED) && !e.name().equals(ORDERED)) {
                continue; // neutral
            }
            if (!run.isEmpty() && e.time() >= last(run).time() + s.browseTimeout()) {
                closeRun(run, s, out); // the silence after the run came first
            }
            if (view) {
                run.add(e);
            } else {
                run.clear(); // an add or an order within the timeout breaks the run
            }
        }
        closeRun(run, s, out); // end of input: time advances past every timeout
    }

    private static void closeRun(List<Event> run, Settings s, Set<Trigger> out) {
        if (run.size() >= s.browseViews()) {
            Event lastView = last(run);
            out.add(new Trigger(BROWSE_ABANDONED, lastView.userId(), lastView.time() + s.browseTimeout(),
                    lastView.messageId()));
        }
        run.clear();
    }

    /** Greedy spikes over consecutive events, then the cooldown against the last emitted spike. */
    static void engagementSpikes(List<Event> events, Settings s, Set<Trigger> out) {
        int from = 0; // first event not used by an earlier spike
        Long lastEmitted = null;
        for (int k = 0; k < events.size(); k++) {
            int first = k - s.spikeCount() + 1;
            if (first < from || events.get(k).time() - events.get(first).time() >= s.spikeWindow()) {
                continue;
            }
            Event completing = events.get(k);
            from = k + 1;
            if (lastEmitted != null && completing.time() - lastEmitted < s.spikeWindow()) {
                continue; // cooldown: dropped, and it does not extend the cooldown
            }
            lastEmitted = completing.time();
            out.add(new Trigger(ENGAGEMENT_SPIKE, completing.userId(), completing.time(), completing.messageId()));
        }
    }

    private static Event nextOf(List<Event> events, int after, String a, String b) {
        for (int j = after + 1; j < events.size(); j++) {
            String name = events.get(j).name();
            if (name.equals(a) || name.equals(b)) {
                return events.get(j);
            }
        }
        return null;
    }

    private static Event last(List<Event> list) {
        return list.get(list.size() - 1);
    }
}
