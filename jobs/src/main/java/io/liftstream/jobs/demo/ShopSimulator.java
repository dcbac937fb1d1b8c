package io.liftstream.jobs.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A seeded web shop: tens of thousands of shoppers browsing, carting, checking out and buying,
 * written as Segment {@code track} JSON lines in the order a collector would receive them. The
 * same {@link SimulatorSettings} give byte-identical lines on every run and machine.
 *
 * <p>The model (rates are {@link SimulatorSettings} defaults):
 * <ul>
 *   <li>Each shopper's first session starts uniformly within the spread; 70% are logged in ({@code
 *       userId} and {@code anonymousId}), the rest anonymous. A shopper returns for another session
 *       with 30% (power users 80%), 35 minutes to half a day later (median about two hours), at most
 *       six sessions, none starting after the horizon (a day).
 *   <li>A session opens with a search or a product list (75%), then about four Product Viewed
 *       (1 + exponential, mean 3) with occasional list and search events between them. Gaps between
 *       a session's events are lognormal, median 30 s, from about a second to at most 20 minutes.
 *   <li>8% of sessions add to cart (quantity mostly 1, sometimes another product, 15% remove
 *       something), 35% of those start checkout, 65% of checkouts complete the order a few minutes
 *       later. A returning shopper with a cart goes straight back to checkout with 30% (a recovery).
 *   <li>1% are power users: most of their sessions start with a burst of 20 to 45 events one to twelve
 *       seconds apart (at least 20 events within four minutes).
 *   <li>Products come from a 5,000-item catalogue with popular items first, prices lognormal around
 *       29 (ending in .99); each shopper pays in one of EUR, USD, GBP.
 * </ul>
 *
 * <p>Delivery: each event arrives a little after its event time (mostly under 250 ms, some seconds,
 * always under the max disorder); the lines are in arrival order. A share of events is held back
 * past the late bound (late events) and a share of lines is broken (see {@link SimulatorSettings}).
 * Behaviour and delivery draw from separate random streams, so changing the bad or late share
 * changes no shopper's behaviour.
 *
 * <p>Cost: events are produced lazily, merging shoppers by time (a priority queue of shoppers, then a
 * small reorder buffer by arrival time), so memory stays small and about a million lines take a
 * couple of seconds.
 */
public final class ShopSimulator {
    private final SimulatorSettings settings;

    public ShopSimulator(SimulatorSettings settings) {
        this.settings = settings;
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /** A fresh run: an iterator over the lines in emission order. Every call starts over identically. */
    public Run run() {
        return new Run(settings);
    }

    /** Writes every line of a fresh run to {@code file} (replaced), one per line; returns its counts. */
    public SimulatorStats writeTo(Path file) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Run run = run();
        try (BufferedWriter out = new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 20)) {
            while (run.hasNext()) {
                out.write(run.next());
                out.write('\n');
            }
        }
        return run.stats();
    }

    /** The Segment events the simulator emits. */
    enum Kind {
        VIEW("Product Viewed"),
        LIST("Product List Viewed"),
        SEARCH("Products Searched"),
        CLICK("Product Clicked"),
        ADD("Product Added"),
        REMOVE("Product Removed"),
        CHECKOUT("Checkout Started"),
        ORDER("Order Completed");

        final String segmentName;

        Kind(String segmentName) {
            this.segmentName = segmentName;
        }
    }

    private static final byte INTACT = 0;
    private static final byte MALFORMED = 1;
    private static final byte NO_IDENTITY = 2;
    private static final byte BAD_TIMESTAMP = 3;

    private static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "USD", "USD", "GBP"};
    private static final String[] QUERIES = {
        "running shoes", "winter jacket", "gift for her", "black dress", "headphones", "coffee maker",
        "lego", "yoga mat", "backpack", "sunglasses", "phone case", "scented candle"
    };

    /** One simulated event and how it is delivered. */
    static final class SimEvent {
        final Shopper shopper;
        final int seq;
        final Kind kind;
        final long time;
        long arrival;
        boolean heldBack;
        byte defect = INTACT;
        double defectDetail;
        String messageId;
        int product = -1;
        int quantity;
        int position;
        int category = -1;
        String query;
        String orderId;
        String cartId;
        /** {product, quantity} pairs for checkout and order events. */
        int[] items;

        SimEvent(Shopper shopper, int seq, Kind kind, long time) {
            this.shopper = shopper;
            this.seq = seq;
            this.kind = kind;
            this.time = time;
        }
    }

    /** A shopper: identity, behaviour state, and the queued events of the current session. */
    static final class Shopper {
        final int index;
        final SplittableRandom behaviour;
        final SplittableRandom delivery;
        final String userId;
        final String anonymousId;
        final String currency;
        final boolean power;
        final ArrayDeque<SimEvent> pending = new ArrayDeque<>();
        /** {product, quantity} per cart line. */
        final List<int[]> cart = new ArrayList<>();
        long nextSessionAt;
        int sessions;
        int seq;
        int carts;
        int orders;

        Shopper(int index, SplittableRandom random, double powerUserShare) {
            this.index = index;
            this.behaviour = random.split();
            this.delivery = random.split();
            this.anonymousId = uuid(behaviour);
            this.userId = behaviour.nextDouble() < 0.7 ? String.format(Locale.ROOT, "user-%06d", index) : null;
            this.currency = CURRENCIES[behaviour.nextInt(CURRENCIES.length)];
            this.power = behaviour.nextDouble() < powerUserShare;
        }

        long nextTime() {
            return pending.isEmpty() ? nextSessionAt : pending.peekFirst().time;
        }

        String cartId() {
            return "cart-" + index + "-" + carts;
        }

        int[] cartItems() {
            int[] items = new int[cart.size() * 2];
            for (int i = 0; i < cart.size(); i++) {
                items[2 * i] = cart.get(i)[0];
                items[2 * i + 1] = cart.get(i)[1];
            }
            return items;
        }
    }

    /** The product catalogue: ids, SKUs, categories and prices, popular products first. */
    static final class Catalog {
        static final int SIZE = 5_000;
        static final String[] CATEGORIES = {
            "Shoes", "Dresses", "Jackets", "Bags", "Watches", "Beauty", "Home", "Kitchen", "Toys", "Sports",
            "Books", "Electronics"
        };

        final String[] ids = new String[SIZE];
        final String[] skus = new String[SIZE];
        final int[] category = new int[SIZE];
        final int[] priceCents = new int[SIZE];

        Catalog(SplittableRandom random) {
            for (int i = 0; i < SIZE; i++) {
                ids[i] = "prod-" + (10_000 + i);
                skus[i] = "SKU-" + Integer.toHexString(0x100000 + random.nextInt(0xF00000)).toUpperCase(Locale.ROOT);
                category[i] = random.nextInt(CATEGORIES.length);
                double price = 29.0 * Math.exp(0.8 * random.nextGaussian());
                priceCents[i] = (int) Math.max(2, Math.min(2_000, Math.round(price))) * 100 - 1;
            }
        }

        /** A product, popular ones (low indexes) far more often. */
        int pick(SplittableRandom r) {
            double u = r.nextDouble();
            return (int) (SIZE * u * u * u);
        }
    }

    /** One pass over the simulated shop; see {@link ShopSimulator}. Not thread-safe. */
    public static final class Run implements Iterator<String> {
        private static final long SECOND = 1_000L;
        private static final long MINUTE = 60_000L;

        private final SimulatorSettings s;
        private final Catalog catalog;
        private final long maxDisorderMillis;
        private final long lateBoundMillis;
        private final long origin;
        private final long horizon;
        private final Shopper[] all;
        /** Active shoppers by (next event time, index), packed as {@link #key}. */
        private final LongMinHeap shoppers;
        /** The reorder buffer: events by (arrival, shopper, sequence). */
        private final PriorityQueue<SimEvent> inFlight = new PriorityQueue<>(new ByArrival());
        private final SimulatorStats.Counts counts = new SimulatorStats.Counts();
        private final StringBuilder line = new StringBuilder(512);
        private final IsoMillis iso = new IsoMillis();
        /** Greatest event time among the valid lines emitted so far (the lateness rule). */
        private long maxValidTime = Long.MIN_VALUE;

        Run(SimulatorSettings settings) {
            this.s = settings;
            SplittableRandom root = new SplittableRandom(settings.seed);
            this.catalog = new Catalog(root.split());
            this.maxDisorderMillis = settings.maxDisorder.toMillis();
            this.lateBoundMillis = settings.lateBound.toMillis();
            this.origin = settings.start.toEpochMilli();
            this.horizon = origin + settings.horizon.toMillis();
            long spread = settings.spread.toMillis();
            counts.shoppers = settings.shoppers;
            this.all = new Shopper[settings.shoppers];
            this.shoppers = new LongMinHeap(settings.shoppers);
            for (int i = 0; i < settings.shoppers; i++) {
                Shopper shopper = new Shopper(i, root.split(), settings.powerUserShare);
                shopper.nextSessionAt = origin + shopper.behaviour.nextLong(spread);
                if (shopper.power) {
                    counts.powerUsers++;
                }
                all[i] = shopper;
                shoppers.add(key(shopper));
            }
        }

        /** (time - origin) in the high 41 bits (about 69 years), the shopper index in the low 22. */
        private long key(Shopper sh) {
            return ((sh.nextTime() - origin) << INDEX_BITS) | sh.index;
        }

        /** Counts so far; complete once {@link #hasNext()} is false. */
        public SimulatorStats stats() {
            return new SimulatorStats(counts);
        }

        @Override
        public boolean hasNext() {
            fill();
            return !inFlight.isEmpty();
        }

        @Override
        public String next() {
            fill();
            SimEvent e = inFlight.poll();
            if (e == null) {
                throw new NoSuchElementException();
            }
            return render(e);
        }

        /**
         * Moves events from the shoppers (in event-time order) into the reorder buffer until its head
         * arrives before anything a shopper can still produce: every later event has an event time,
         * hence an arrival, at or after the shoppers' next event time.
         */
        private void fill() {
            while (!shoppers.isEmpty()) {
                long top = shoppers.peek();
                long nextTime = origin + (top >>> INDEX_BITS);
                SimEvent first = inFlight.peek();
                if (first != null && first.arrival < nextTime) {
                    return;
                }
                Shopper head = all[(int) (top & INDEX_MASK)];
                if (head.pending.isEmpty()) {
                    session(head);
                }
                inFlight.add(head.pending.pollFirst());
                if (!head.pending.isEmpty() || head.nextSessionAt != Long.MAX_VALUE) {
                    shoppers.replaceTop(key(head));
                } else {
                    shoppers.removeTop();
                }
            }
        }

        // ---- behaviour ------------------------------------------------------------------------

        /** Queues one session of {@code sh}, starting at its next session time, and plans the next. */
        private void session(Shopper sh) {
            SplittableRandom r = sh.behaviour;
            long t = sh.nextSessionAt;
            boolean returning = sh.sessions > 0;
            sh.sessions++;
            counts.sessions++;

            double entry = r.nextDouble();
            if (entry < 0.35) {
                t = search(sh, t, r) + gap(r);
            } else if (entry < 0.75) {
                t = list(sh, t, r) + gap(r);
            }
            if (sh.power && r.nextDouble() < 0.7) {
                t = burst(sh, t, r) + gap(r);
            }
            if (returning && !sh.cart.isEmpty() && r.nextDouble() < s.recoveryRate) {
                t = recovery(sh, t, r);
            } else {
                t = browse(sh, t, r);
            }

            double returnRate = sh.power ? Math.max(s.returnRate, 0.8) : s.returnRate;
            sh.nextSessionAt = Long.MAX_VALUE;
            if (sh.sessions < 6 && r.nextDouble() < returnRate) {
                double hours = 1.5 * Math.exp(1.0 * r.nextGaussian());
                long next = t + 35 * MINUTE + (long) Math.min(12 * 60 * MINUTE, hours * 60 * MINUTE);
                if (next < horizon) {
                    sh.nextSessionAt = next;
                }
            }
        }

        /** Views with the carting funnel; returns the time of the last event. */
        private long browse(Shopper sh, long t, SplittableRandom r) {
            int views = 1 + (int) Math.min(39, r.nextExponential() * 3.0);
            boolean carting = r.nextDouble() < s.addToCartRate;
            boolean checkout = carting && r.nextDouble() < s.checkoutRate;
            boolean order = checkout && r.nextDouble() < s.orderRate;
            int addAt = carting ? r.nextInt(views) : -1;
            long last = t;
            for (int k = 0; k < views; k++) {
                if (k > 0) {
                    if (r.nextDouble() < 0.2) {
                        last = r.nextBoolean() ? list(sh, t, r) : search(sh, t, r);
                        t = last + gap(r);
                    }
                }
                int product = catalog.pick(r);
                last = view(sh, t, product);
                t = last + gap(r);
                if (k == addAt) {
                    last = add(sh, last + 3 * SECOND + r.nextLong(90 * SECOND), product, quantity(r));
                    t = last + gap(r);
                }
            }
            if (!carting) {
                return last;
            }
            counts.cartingSessions++;
            if (r.nextDouble() < 0.3) {
                int product = catalog.pick(r);
                last = view(sh, t, product);
                last = add(sh, last + 3 * SECOND + r.nextLong(60 * SECOND), product, quantity(r));
                t = last + gap(r);
            }
            if (r.nextDouble() < 0.15) {
                last = remove(sh, t, checkout, r);
                t = last + gap(r);
            }
            if (checkout) {
                counts.checkoutSessions++;
                last = checkout(sh, t);
                if (order) {
                    counts.orderSessions++;
                    last = order(sh, last + orderDelay(r));
                }
            }
            return last;
        }

        /** A returning shopper with a cart: a look at the cart's products, then checkout. */
        private long recovery(Shopper sh, long t, SplittableRandom r) {
            counts.recoverySessions++;
            long last = t;
            int looks = r.nextInt(3);
            for (int i = 0; i < looks; i++) {
                last = view(sh, t, sh.cart.get(r.nextInt(sh.cart.size()))[0]);
                t = last + gap(r);
            }
            last = checkout(sh, t);
            if (r.nextDouble() < s.orderRate) {
                counts.recoveryOrders++;
                last = order(sh, last + orderDelay(r));
            }
            return last;
        }

        /** 20 to 45 events one to twelve seconds apart: at least 20 within 19 × 12 s < 5 min. */
        private long burst(Shopper sh, long t, SplittableRandom r) {
            counts.bursts++;
            int n = 20 + r.nextInt(26);
            long last = t;
            for (int i = 0; i < n; i++) {
                double u = r.nextDouble();
                if (u < 0.5) {
                    last = view(sh, t, catalog.pick(r));
                } else if (u < 0.75) {
                    last = click(sh, t, catalog.pick(r), 1 + r.nextInt(24));
                } else if (u < 0.9) {
                    last = list(sh, t, r);
                } else {
                    last = search(sh, t, r);
                }
                t = last + SECOND + r.nextLong(11 * SECOND);
            }
            return last;
        }

        /** Between a session's events: lognormal, median 30 s, within [1 s, 20 min]. */
        private static long gap(SplittableRandom r) {
            double g = 30 * SECOND * Math.exp(1.0 * r.nextGaussian());
            return (long) Math.max(SECOND, Math.min(20 * MINUTE, g));
        }

        /** From checkout to order: lognormal, median 2 min, at most 40 min (under the 60 min timeout). */
        private static long orderDelay(SplittableRandom r) {
            double g = 2 * MINUTE * Math.exp(0.7 * r.nextGaussian());
            return (long) Math.max(20 * SECOND, Math.min(40 * MINUTE, g));
        }

        private static int quantity(SplittableRandom r) {
            double u = r.nextDouble();
            return u < 0.8 ? 1 : u < 0.95 ? 2 : 3;
        }

        private long view(Shopper sh, long t, int product) {
            SimEvent e = event(sh, Kind.VIEW, t);
            e.product = product;
            return t;
        }

        private long click(Shopper sh, long t, int product, int position) {
            SimEvent e = event(sh, Kind.CLICK, t);
            e.product = product;
            e.position = position;
            return t;
        }

        private long list(Shopper sh, long t, SplittableRandom r) {
            event(sh, Kind.LIST, t).category = r.nextInt(Catalog.CATEGORIES.length);
            return t;
        }

        private long search(Shopper sh, long t, SplittableRandom r) {
            event(sh, Kind.SEARCH, t).query = QUERIES[r.nextInt(QUERIES.length)];
            return t;
        }

        private long add(Shopper sh, long t, int product, int quantity) {
            SimEvent e = event(sh, Kind.ADD, t);
            e.product = product;
            e.quantity = quantity;
            e.cartId = sh.cartId();
            for (int[] line : sh.cart) {
                if (line[0] == product) {
                    line[1] += quantity;
                    return t;
                }
            }
            sh.cart.add(new int[] {product, quantity});
            return t;
        }

        /**
         * Removes one unit of a line holding several, else a whole line when another remains, else
         * (only when no checkout follows) the last line, emptying the cart. Returns {@code t} - 1 ms
         * when nothing could be removed, so the caller's clock does not move.
         */
        private long remove(Shopper sh, long t, boolean checkoutFollows, SplittableRandom r) {
            int i = r.nextInt(sh.cart.size());
            int[] line = sh.cart.get(i);
            int quantity;
            if (line[1] > 1) {
                quantity = 1;
                line[1]--;
            } else if (sh.cart.size() > 1 || !checkoutFollows) {
                quantity = line[1];
                sh.cart.remove(i);
            } else {
                return t - 1;
            }
            SimEvent e = event(sh, Kind.REMOVE, t);
            e.product = line[0];
            e.quantity = quantity;
            e.cartId = sh.cartId();
            return t;
        }

        private long checkout(Shopper sh, long t) {
            SimEvent e = event(sh, Kind.CHECKOUT, t);
            e.orderId = "order-" + sh.index + "-" + sh.orders;
            e.cartId = sh.cartId();
            e.items = sh.cartItems();
            return t;
        }

        private long order(Shopper sh, long t) {
            SimEvent e = event(sh, Kind.ORDER, t);
            e.orderId = "order-" + sh.index + "-" + sh.orders;
            e.cartId = sh.cartId();
            e.items = sh.cartItems();
            sh.orders++;
            sh.carts++;
            sh.cart.clear();
            return t;
        }

        /** Queues an event and decides its delivery (a fixed number of draws, whatever the shares). */
        private SimEvent event(Shopper sh, Kind kind, long t) {
            SimEvent e = new SimEvent(sh, sh.seq++, kind, t);
            SplittableRandom d = sh.delivery;
            e.messageId = uuid(d);
            double late = d.nextDouble();
            double jitter = d.nextDouble();
            double jitterSize = d.nextExponential();
            double defect = d.nextDouble();
            e.defectDetail = d.nextDouble();
            if (late < s.lateShare) {
                e.heldBack = true;
                e.arrival = t + lateBoundMillis + maxDisorderMillis + 20 * SECOND + (long) (jitterSize * 2 * MINUTE);
            } else {
                long delay = jitter < 0.85 ? (long) (jitter / 0.85 * 250) : (long) (jitterSize * 1_200);
                e.arrival = t + Math.min(delay, Math.max(0, maxDisorderMillis - 1));
            }
            if (defect < s.badLineShare) {
                e.defect = (byte) (1 + (int) (e.defectDetail * 3));
            }
            sh.pending.addLast(e);
            counts.byName.merge(kind.segmentName, 1L, Long::sum);
            counts.firstEventTime = Math.min(counts.firstEventTime, t);
            counts.lastEventTime = Math.max(counts.lastEventTime, t);
            return e;
        }

        // ---- delivery ---------------------------------------------------------------------------

        private String render(SimEvent e) {
            counts.lines++;
            if (e.heldBack) {
                counts.heldBack++;
            }
            Shopper sh = e.shopper;
            StringBuilder b = line;
            b.setLength(0);
            b.append("{\"type\":\"track\",\"event\":\"").append(e.kind.segmentName)
                    .append("\",\"messageId\":\"").append(e.messageId).append("\",\"timestamp\":");
            if (e.defect == BAD_TIMESTAMP) {
                if (e.defectDetail < 2.5 / 3) {
                    b.append(e.time / 1_000); // epoch seconds: refused as 1970
                } else {
                    b.append('"');
                    iso.append(b, e.time);
                    b.setCharAt(b.length() - 14, ' '); // "2026-11-20 10:00:00.000Z" is not ISO-8601
                    b.append('"');
                }
            } else {
                b.append('"');
                iso.append(b, e.time);
                b.append('"');
            }
            if (e.defect != NO_IDENTITY) {
                if (sh.userId != null) {
                    b.append(",\"userId\":\"").append(sh.userId).append('"');
                }
                b.append(",\"anonymousId\":\"").append(sh.anonymousId).append('"');
            }
            b.append(",\"properties\":{");
            properties(b, e);
            b.append("}}");

            String text = b.toString();
            switch (e.defect) {
                case MALFORMED:
                    counts.malformed++;
                    // A proper prefix of a JSON object is never valid JSON: a truncated write.
                    return text.substring(0, 1 + (int) (e.defectDetail * 3 % 1 * (text.length() - 2)));
                case NO_IDENTITY:
                    counts.noIdentity++;
                    return text;
                case BAD_TIMESTAMP:
                    counts.badTimestamp++;
                    return text;
                default:
                    if (maxValidTime != Long.MIN_VALUE && e.time < maxValidTime - lateBoundMillis) {
                        counts.late++;
                    } else {
                        maxValidTime = Math.max(maxValidTime, e.time);
                    }
                    return text;
            }
        }

        private void properties(StringBuilder b, SimEvent e) {
            String currency = e.shopper.currency;
            switch (e.kind) {
                case VIEW:
                    product(b, e.product);
                    b.append(",\"category\":\"").append(Catalog.CATEGORIES[catalog.category[e.product]]).append('"');
                    price(b.append(",\"price\":"), catalog.priceCents[e.product]);
                    b.append(",\"currency\":\"").append(currency).append('"');
                    break;
                case CLICK:
                    product(b, e.product);
                    b.append(",\"position\":").append(e.position);
                    break;
                case LIST:
                    b.append("\"list_id\":\"list-").append(e.category).append("\",\"category\":\"")
                            .append(Catalog.CATEGORIES[e.category]).append('"');
                    break;
                case SEARCH:
                    b.append("\"query\":\"").append(e.query).append('"');
                    break;
                case ADD:
                case REMOVE:
                    b.append("\"cart_id\":\"").append(e.cartId).append("\",");
                    product(b, e.product);
                    price(b.append(",\"price\":"), catalog.priceCents[e.product]);
                    b.append(",\"quantity\":").append(e.quantity);
                    b.append(",\"currency\":\"").append(currency).append('"');
                    break;
                case CHECKOUT:
                case ORDER:
                    long value = 0;
                    for (int i = 0; i < e.items.length; i += 2) {
                        value += (long) catalog.priceCents[e.items[i]] * e.items[i + 1];
                    }
                    b.append("\"order_id\":\"").append(e.orderId).append("\",\"cart_id\":\"").append(e.cartId).append('"');
                    price(b.append(e.kind == Kind.ORDER ? ",\"total\":" : ",\"value\":"), value);
                    price(b.append(",\"revenue\":"), value);
                    b.append(",\"currency\":\"").append(currency).append("\",\"products\":[");
                    for (int i = 0; i < e.items.length; i += 2) {
                        if (i > 0) {
                            b.append(',');
                        }
                        b.append('{');
                        product(b, e.items[i]);
                        price(b.append(",\"price\":"), catalog.priceCents[e.items[i]]);
                        b.append(",\"quantity\":").append(e.items[i + 1]).append('}');
                    }
                    b.append(']');
                    break;
                default:
                    throw new IllegalStateException("unknown kind " + e.kind);
            }
        }

        private void product(StringBuilder b, int product) {
            b.append("\"product_id\":\"").append(catalog.ids[product]).append("\",\"sku\":\"")
                    .append(catalog.skus[product]).append('"');
        }

        private static void price(StringBuilder b, long cents) {
            b.append(cents / 100).append('.');
            long c = cents % 100;
            if (c < 10) {
                b.append('0');
            }
            b.append(c);
        }
    }

    static final int INDEX_BITS = 22;
    static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
    /** The most shoppers a run can hold (the index bits of a heap key). */
    public static final int MAX_SHOPPERS = (int) INDEX_MASK;

    /** Orders the reorder buffer by arrival, then shopper, then the shopper's sequence. */
    static final class ByArrival implements Comparator<SimEvent> {
        @Override
        public int compare(SimEvent a, SimEvent b) {
            int c = Long.compare(a.arrival, b.arrival);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(a.shopper.index, b.shopper.index);
            return c != 0 ? c : Integer.compare(a.seq, b.seq);
        }
    }

    /** A binary min-heap of longs with replace-top: cheaper than a PriorityQueue of objects. */
    static final class LongMinHeap {
        private long[] heap;
        private int size;

        LongMinHeap(int capacity) {
            heap = new long[Math.max(1, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        long peek() {
            return heap[0];
        }

        void add(long v) {
            if (size == heap.length) {
                heap = java.util.Arrays.copyOf(heap, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= v) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = v;
        }

        void replaceTop(long v) {
            siftDown(v);
        }

        void removeTop() {
            long last = heap[--size];
            if (size > 0) {
                siftDown(last);
            }
        }

        private void siftDown(long v) {
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < size && heap[right] < heap[child]) {
                    child = right;
                }
                if (v <= heap[child]) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = v;
        }
    }

    /** A random (version 4 layout) UUID from a seeded stream. */
    static String uuid(SplittableRandom r) {
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }

    /** ISO-8601 UTC with milliseconds, e.g. {@code 2026-11-20T10:30:00.000Z}; caches the date part. */
    static final class IsoMillis {
        private static final long DAY = 86_400_000L;
        private long day = Long.MIN_VALUE;
        private String datePrefix;

        void append(StringBuilder b, long epochMillis) {
            long d = Math.floorDiv(epochMillis, DAY);
            int ms = (int) Math.floorMod(epochMillis, DAY);
            if (d != day) {
                day = d;
                datePrefix = LocalDate.ofEpochDay(d) + "T";
            }
            b.append(datePrefix);
            two(b, ms / 3_600_000);
            b.append(':');
            two(b, ms / 60_000 % 60);
            b.append(':');
            two(b, ms / 1_000 % 60);
            b.append('.');
            int milli = ms % 1_000;
            if (milli < 100) {
                b.append('0');
            }
            if (milli < 10) {
                b.append('0');
            }
            b.append(milli).append('Z');
        }

        private static void two(StringBuilder b, int v) {
            if (v < 10) {
                b.append('0');
            }
            b.append(v);
        }
    }
}
