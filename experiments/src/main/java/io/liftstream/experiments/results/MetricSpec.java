package io.liftstream.experiments.results;

import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.stats.Capping;
import io.liftstream.experiments.stats.MetricType;

import java.time.Duration;

/**
 * A metric of an experiment's analysis: per user, the outcome {@code event} inside {@code window}
 * after the user's first exposure. {@code value} is {@link RewardSpec#CONVERSION} (1 when at least
 * one matching event falls in the window, else 0) or the name of a numeric event property summed
 * over the window (for example "revenue"). {@code desired} is the direction that is good.
 *
 * <p>{@code cap} (optional, summed properties only) caps each user's value at a fixed number before
 * the sums, as GrowthBook's absolute capping. A percentile cap is refused here: the live results job
 * keeps sums, not every user's value, and a cap that moves with the data would change every user's
 * contribution at every look; use {@code analyze} with per-user values for a percentile cap.
 *
 * <p>{@code cupedLookback} (optional) asks for CUPED with the user's value of the same metric in a
 * window before first exposure as the covariate ({@link PreExposureWindow} defines it exactly).
 *
 * <p>{@code denominator} (optional) makes it a ratio metric Σm/Σd (e.g. revenue per order): per user
 * the numerator m is this metric's value and the denominator d the {@link Denominator}'s, over the
 * same window; analysed with the delta method ({@link io.liftstream.experiments.stats.RatioStats}).
 * A metric is either CUPED or ratio, not both.
 */
public record MetricSpec(String name, String event, String value, Duration window, Desired desired, Capping cap,
        Duration cupedLookback, Denominator denominator) {

    /**
     * The denominator of a ratio metric: per user, {@code value} of {@code event} in the metric's
     * window ({@link RewardSpec#CONVERSION} for 0/1, or a numeric property summed).
     */
    public record Denominator(String event, String value) {
        public Denominator {
            if (event == null || event.isBlank()) {
                throw new IllegalArgumentException("denominator.event must not be empty");
            }
            value = value == null || value.isBlank() ? RewardSpec.CONVERSION : value;
        }

        public boolean isConversion() {
            return RewardSpec.CONVERSION.equals(value);
        }

        /** The denominator after one more matching event (as {@link MetricSpec#next}). */
        public double next(double previous, Double property) {
            if (isConversion()) {
                return 1.0;
            }
            return property == null || !Double.isFinite(property) ? previous : previous + property;
        }
    }

    /** The name of the metric taken from the experiment's {@code reward} when no primary is given. */
    public static final String REWARD_NAME = "reward";

    /** The good direction of a metric. */
    public enum Desired {
        INCREASE("increase"), DECREASE("decrease");

        public final String wireName;

        Desired(String wireName) {
            this.wireName = wireName;
        }

        public static Desired of(String wireName) {
            for (Desired d : values()) {
                if (d.wireName.equals(wireName)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("desired must be \"increase\" or \"decrease\", was \"" + wireName + "\"");
        }
    }

    public MetricSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a metric needs a name");
        }
        if (event == null || event.isBlank()) {
            throw new IllegalArgumentException("metric '" + name + "': event must not be empty");
        }
        value = value == null || value.isBlank() ? RewardSpec.CONVERSION : value;
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("metric '" + name + "': window must be a positive ISO-8601 duration, was " + window);
        }
        desired = desired == null ? Desired.INCREASE : desired;
        if (cap != null && RewardSpec.CONVERSION.equals(value)) {
            throw new IllegalArgumentException("metric '" + name + "': a conversion (0 or 1 per user) cannot be capped");
        }
        if (cap != null && cap.type() == Capping.Type.PERCENTILE) {
            throw new IllegalArgumentException("metric '" + name + "': the results job supports an absolute cap only "
                    + "(a percentile needs every user's value, which it does not keep); use \"cap\": {\"type\": "
                    + "\"absolute\", \"value\": ...}, or analyze per-user values with a percentile cap");
        }
        if (cupedLookback != null && denominator != null) {
            throw new IllegalArgumentException("metric '" + name + "': a ratio metric (denominator) cannot use CUPED");
        }
        if (cupedLookback != null) {
            try {
                PreExposureWindow.of(cupedLookback);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("metric '" + name + "': " + e.getMessage());
            }
        }
    }

    /** A metric that is not a ratio. */
    public MetricSpec(String name, String event, String value, Duration window, Desired desired, Capping cap,
            Duration cupedLookback) {
        this(name, event, value, window, desired, cap, cupedLookback, null);
    }

    /** A metric without capping or CUPED. */
    public MetricSpec(String name, String event, String value, Duration window, Desired desired) {
        this(name, event, value, window, desired, null, null);
    }

    public boolean isRatio() {
        return denominator != null;
    }

    /** The key of the user's denominator value among the per-user values (beside the numerator's, {@link #name}). */
    public String denominatorKey() {
        return name + "\u0003denominator";
    }

    /** The experiment's reward as its primary metric, named {@value #REWARD_NAME}, higher is better. */
    public static MetricSpec fromReward(RewardSpec reward) {
        return new MetricSpec(REWARD_NAME, reward.event(), reward.value(), reward.window(), Desired.INCREASE);
    }

    public boolean isConversion() {
        return RewardSpec.CONVERSION.equals(value);
    }

    /** Conversions are proportions (variance p(1 − p)); summed properties and ratios are means. */
    public MetricType metricType() {
        return isRatio() ? MetricType.MEAN : isConversion() ? MetricType.PROPORTION : MetricType.MEAN;
    }

    /**
     * The user's value after one more matching outcome: 1 for a conversion, else the previous value
     * plus the property (an outcome without the property, or with a non-finite one, changes nothing).
     */
    public double next(double previous, Double property) {
        if (isConversion()) {
            return 1.0;
        }
        return property == null || !Double.isFinite(property) ? previous : previous + property;
    }

    /**
     * The user's value as it enters the sums: {@code raw} (the running value {@link #next} keeps)
     * capped at the absolute cap, if any. The job keeps the raw value per user and emits the change
     * of the capped one, so that a negative property later (a refund) lowers an uncapped total
     * correctly: min(Σ, c), never Σ of capped steps.
     */
    public double capped(double raw) {
        return cap == null ? raw : Capping.cap(raw, cap.value());
    }

    /** The pre-exposure window of CUPED, or null without CUPED. */
    public PreExposureWindow preExposureWindow() {
        return cupedLookback == null ? null : PreExposureWindow.of(cupedLookback);
    }

    /**
     * What one matching outcome adds to the pre-exposure ring: 1 for a conversion, else the property
     * (0 for a missing or non-finite one, which the caller may skip).
     */
    public double contribution(Double property) {
        if (isConversion()) {
            return 1.0;
        }
        return property == null || !Double.isFinite(property) ? 0.0 : property;
    }

    /**
     * The CUPED covariate of a user from the total of their outcomes in the pre-exposure window:
     * for a conversion 1 if there was any, else 0; for a sum the total; capped as the metric is
     * (GrowthBook caps the covariate with the metric's settings).
     */
    public double covariate(double windowTotal) {
        if (isConversion()) {
            return windowTotal > 0 ? 1.0 : 0.0;
        }
        return capped(windowTotal);
    }

    /** Whether an outcome at {@code time} counts for a user first exposed at {@code exposedAt}: [exposedAt, exposedAt + window). */
    public boolean inWindow(long exposedAt, long time) {
        return time >= exposedAt && time - exposedAt < window.toMillis();
    }
}
