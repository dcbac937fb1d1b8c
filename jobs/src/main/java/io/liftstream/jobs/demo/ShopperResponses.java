package io.liftstream.jobs.demo;

import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.decision.DecisionReason;
import io.liftstream.jobs.decisions.DecisionRecord;
import io.liftstream.jobs.decisions.ResponseModel;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The demo's shoppers react to the recovery message they receive: a shopper sent arm {@code a}
 * completes an order within the reward window with the arm's true conversion rate; a shopper who
 * gets no message (held out, opted out, suppressed, any untreated decision) with the base rate. The
 * order follows the message after a lognormal delay (median {@link #MEDIAN_DELAY}), kept inside the
 * window. Only the simulator knows these rates; the bandit has to learn them from the orders.
 *
 * <p>Deterministic: each decision's draws come from a {@link SplittableRandom} seeded by the
 * simulator seed and the decision id, so the same inputs give the same orders in any processing order.
 */
public final class ShopperResponses implements ResponseModel {
    private static final long serialVersionUID = 1L;

    /** True conversion rates of the three recovery messages of {@code sql/experiments/cart-recovery.sql}. */
    public static final Map<String, Double> DEFAULT_RATES = defaultRates();
    /** Conversion without a message (holdout and every untreated decision). */
    public static final double DEFAULT_BASE_RATE = 0.03;
    public static final Duration MEDIAN_DELAY = Duration.ofHours(3);

    private final long seed;
    private final LinkedHashMap<String, Double> rates;
    private final double baseRate;

    public ShopperResponses(long seed, Map<String, Double> rates, double baseRate) {
        for (Map.Entry<String, Double> e : rates.entrySet()) {
            check(e.getKey(), e.getValue());
        }
        check("base", baseRate);
        this.seed = seed;
        this.rates = new LinkedHashMap<>(rates);
        this.baseRate = baseRate;
    }

    public static ShopperResponses defaults(long seed) {
        return new ShopperResponses(seed, DEFAULT_RATES, DEFAULT_BASE_RATE);
    }

    private static void check(String arm, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("the conversion rate of " + arm + " must be within [0, 1], was " + rate);
        }
    }

    /** Arm → true conversion rate, in the definition's order. */
    public Map<String, Double> rates() {
        return Collections.unmodifiableMap(rates);
    }

    public double baseRate() {
        return baseRate;
    }

    /** The rate a decision converts with: its arm's when treated, else the base rate. */
    public double rate(DecisionRecord d) {
        boolean treated = DecisionReason.ASSIGNED.wireName.equals(d.reason) || DecisionReason.STICKY.wireName.equals(d.reason);
        Double armRate = treated ? rates.get(d.arm) : null;
        return armRate != null ? armRate : baseRate;
    }

    @Override
    public Response respond(DecisionRecord d, RewardSpec reward) {
        UUID id = UUID.fromString(d.decisionId);
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ id.getMostSignificantBits() ^ Long.rotateLeft(id.getLeastSignificantBits(), 17));
        if (r.nextDouble() >= rate(d)) {
            return null;
        }
        long window = reward.window().toMillis();
        double delay = MEDIAN_DELAY.toMillis() * Math.exp(r.nextGaussian());
        long at = d.timestamp + Math.max(60_000L, Math.min(window, (long) delay));
        Double revenue = reward.isConversion() ? null : Math.round(60 * Math.exp(0.6 * r.nextGaussian()) * 100) / 100.0;
        return new Response(Math.min(at, d.timestamp + window), revenue);
    }

    private static Map<String, Double> defaultRates() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("control", 0.04);
        m.put("discount", 0.06);
        m.put("free_shipping", 0.12);
        return Collections.unmodifiableMap(m);
    }
}
