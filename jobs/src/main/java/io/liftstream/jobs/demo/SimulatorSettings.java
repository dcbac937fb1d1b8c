package io.liftstream.jobs.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable parameters of the {@link ShopSimulator}, with named defaults. Build with {@link
 * #builder()}; {@link Builder#build()} validates and names every bad value.
 *
 * <p>Funnel rates are per session: {@link #addToCartRate} of sessions add to cart (a "carting"
 * session), {@link #checkoutRate} of carting sessions start checkout, {@link #orderRate} of those
 * complete the order. A shopper returns for another session with {@link #returnRate}; a return with
 * a cart left over goes straight to checkout with {@link #recoveryRate} (a recovered cart, counted
 * apart from the carting funnel).
 *
 * <p>Disorder: every event arrives up to {@link #maxDisorder} after its event time (mostly a few
 * hundred milliseconds), which is less than {@link #lateBound}, so only the events deliberately held
 * back ({@link #lateShare} of them, by more than {@code lateBound + maxDisorder}) are late for a
 * watermark with that out-of-orderness. {@link #badLineShare} of the lines are broken, in three
 * equally likely ways: malformed JSON, no identity, an unparseable timestamp.
 */
public final class SimulatorSettings {
    public static final long DEFAULT_SEED = 42L;
    public static final int DEFAULT_SHOPPERS = 20_000;
    /** First day of the simulated shop: matches the fixtures' 2026-11-20. */
    public static final Instant DEFAULT_START = Instant.parse("2026-11-20T06:00:00Z");
    public static final Duration DEFAULT_SPREAD = Duration.ofHours(6);
    public static final Duration DEFAULT_HORIZON = Duration.ofDays(1);
    public static final double DEFAULT_ADD_TO_CART_RATE = 0.08;
    public static final double DEFAULT_CHECKOUT_RATE = 0.35;
    public static final double DEFAULT_ORDER_RATE = 0.65;
    public static final double DEFAULT_RETURN_RATE = 0.30;
    public static final double DEFAULT_RECOVERY_RATE = 0.30;
    public static final double DEFAULT_POWER_USER_SHARE = 0.01;
    public static final double DEFAULT_BAD_LINE_SHARE = 0.002;
    public static final double DEFAULT_LATE_SHARE = 0.001;
    public static final Duration DEFAULT_MAX_DISORDER = Duration.ofSeconds(5);
    /** The trigger job's default out-of-orderness ({@code liftstream.events.out-of-orderness}). */
    public static final Duration DEFAULT_LATE_BOUND = Duration.ofSeconds(10);

    /** Seeds every random choice: the same settings give byte-identical lines. */
    public final long seed;
    public final int shoppers;
    /** Event time of the earliest possible first session. */
    public final Instant start;
    /** First sessions start uniformly within {@code [start, start + spread)}. */
    public final Duration spread;
    /** No session starts at or after {@code start + horizon} (a session under way finishes). */
    public final Duration horizon;
    public final double addToCartRate;
    public final double checkoutRate;
    public final double orderRate;
    public final double returnRate;
    public final double recoveryRate;
    /** Shoppers who often burst 20 to 45 events within four minutes (engagement spikes). */
    public final double powerUserShare;
    public final double badLineShare;
    public final double lateShare;
    public final Duration maxDisorder;
    public final Duration lateBound;

    private SimulatorSettings(Builder b) {
        this.seed = b.seed;
        this.shoppers = b.shoppers;
        this.start = b.start;
        this.spread = b.spread;
        this.horizon = b.horizon;
        this.addToCartRate = b.addToCartRate;
        this.checkoutRate = b.checkoutRate;
        this.orderRate = b.orderRate;
        this.returnRate = b.returnRate;
        this.recoveryRate = b.recoveryRate;
        this.powerUserShare = b.powerUserShare;
        this.badLineShare = b.badLineShare;
        this.lateShare = b.lateShare;
        this.maxDisorder = b.maxDisorder;
        this.lateBound = b.lateBound;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static SimulatorSettings defaults() {
        return builder().build();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return builder().seed(seed).shoppers(shoppers).start(start).spread(spread).horizon(horizon)
                .addToCartRate(addToCartRate).checkoutRate(checkoutRate).orderRate(orderRate)
                .returnRate(returnRate).recoveryRate(recoveryRate).powerUserShare(powerUserShare)
                .badLineShare(badLineShare).lateShare(lateShare).maxDisorder(maxDisorder).lateBound(lateBound);
    }

    @Override
    public String toString() {
        return "seed=" + seed + ", shoppers=" + shoppers + ", start=" + start + ", spread=" + spread + ", horizon=" + horizon
                + ", bad lines=" + badLineShare + ", late=" + lateShare;
    }

    /** Collects and validates settings. */
    public static final class Builder {
        private long seed = DEFAULT_SEED;
        private int shoppers = DEFAULT_SHOPPERS;
        private Instant start = DEFAULT_START;
        private Duration spread = DEFAULT_SPREAD;
        private Duration horizon = DEFAULT_HORIZON;
        private double addToCartRate = DEFAULT_ADD_TO_CART_RATE;
        private double checkoutRate = DEFAULT_CHECKOUT_RATE;
        private double orderRate = DEFAULT_ORDER_RATE;
        private double returnRate = DEFAULT_RETURN_RATE;
        private double recoveryRate = DEFAULT_RECOVERY_RATE;
        private double powerUserShare = DEFAULT_POWER_USER_SHARE;
        private double badLineShare = DEFAULT_BAD_LINE_SHARE;
        private double lateShare = DEFAULT_LATE_SHARE;
        private Duration maxDisorder = DEFAULT_MAX_DISORDER;
        private Duration lateBound = DEFAULT_LATE_BOUND;

        private Builder() {}

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder shoppers(int v) {
            shoppers = v;
            return this;
        }

        public Builder start(Instant v) {
            start = v;
            return this;
        }

        public Builder spread(Duration v) {
            spread = v;
            return this;
        }

        public Builder horizon(Duration v) {
            horizon = v;
            return this;
        }

        public Builder addToCartRate(double v) {
            addToCartRate = v;
            return this;
        }

        public Builder checkoutRate(double v) {
            checkoutRate = v;
            return this;
        }

        public Builder orderRate(double v) {
            orderRate = v;
            return this;
        }

        public Builder returnRate(double v) {
            returnRate = v;
            return this;
        }

        public Builder recoveryRate(double v) {
            recoveryRate = v;
            return this;
        }

        public Builder powerUserShare(double v) {
            powerUserShare = v;
            return this;
        }

        public Builder badLineShare(double v) {
            badLineShare = v;
            return this;
        }

        public Builder lateShare(double v) {
            lateShare = v;
            return this;
        }

        public Builder maxDisorder(Duration v) {
            maxDisorder = v;
            return this;
        }

        public Builder lateBound(Duration v) {
            lateBound = v;
            return this;
        }

        /**
         * Matches a job's out-of-orderness: late events are made late for it, and ordinary disorder
         * stays under half of it (at most the default max disorder).
         */
        public Builder forOutOfOrderness(Duration outOfOrderness) {
            lateBound = outOfOrderness;
            Duration half = outOfOrderness.dividedBy(2);
            maxDisorder = half.compareTo(DEFAULT_MAX_DISORDER) < 0 ? half : DEFAULT_MAX_DISORDER;
            return this;
        }

        /** Validates; throws {@link IllegalArgumentException} naming every bad value. */
        public SimulatorSettings build() {
            List<String> errors = new ArrayList<>();
            if (shoppers < 1 || shoppers > ShopSimulator.MAX_SHOPPERS) {
                errors.add("shoppers must be within [1, " + ShopSimulator.MAX_SHOPPERS + "], was " + shoppers);
            }
            if (start == null) {
                errors.add("start must be set");
            }
            if (spread == null || spread.isNegative() || spread.isZero()) {
                errors.add("spread must be positive, was " + spread);
            } else if (horizon == null || horizon.compareTo(spread) < 0) {
                errors.add("horizon must be at least the spread (" + spread + "), was " + horizon);
            }
            share(errors, "add-to-cart rate", addToCartRate);
            share(errors, "checkout rate", checkoutRate);
            share(errors, "order rate", orderRate);
            share(errors, "return rate", returnRate);
            share(errors, "recovery rate", recoveryRate);
            share(errors, "power-user share", powerUserShare);
            share(errors, "bad-line share", badLineShare);
            share(errors, "late share", lateShare);
            if (returnRate >= 1) {
                errors.add("return rate must be below 1, was " + returnRate);
            }
            if (maxDisorder == null || maxDisorder.isNegative() || lateBound == null || lateBound.isNegative()) {
                errors.add("max disorder and late bound must be set and not negative");
            } else if (maxDisorder.compareTo(lateBound) >= 0) {
                errors.add("max disorder (" + maxDisorder + ") must be below the late bound (" + lateBound
                        + "), or ordinary events would be late");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("invalid simulator settings: " + String.join("; ", errors));
            }
            return new SimulatorSettings(this);
        }

        private static void share(List<String> errors, String name, double v) {
            if (!(v >= 0 && v <= 1)) {
                errors.add(name + " must be within [0, 1], was " + v);
            }
        }
    }
}
