package io.liftstream.experiments.results;

import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.stats.MetricType;

import java.time.Duration;

/**
 * A metric of an experiment's analysis: per user, the outcome {@code event} inside {@code window}
 * after the user's first exposure. {@code value} is {@link RewardSpec#CONVERSION} (1 when at least
 * one matching event falls in the window, else 0) or the name of a numeric event property summed
 * over the window (for example "revenue"). {@code desired} is the direction that is good.
 */
public record MetricSpec(String name, String event, String value, Duration window, Desired desired) {

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
    }

    /** The experiment's reward as its primary metric, named {@value #REWARD_NAME}, higher is better. */
    public static MetricSpec fromReward(RewardSpec reward) {
        return new MetricSpec(REWARD_NAME, reward.event(), reward.value(), reward.window(), Desired.INCREASE);
    }

    public boolean isConversion() {
        return RewardSpec.CONVERSION.equals(value);
    }

    /** Conversions are proportions (variance p(1 − p)); summed properties are means. */
    public MetricType metricType() {
        return isConversion() ? MetricType.PROPORTION : MetricType.MEAN;
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

    /** Whether an outcome at {@code time} counts for a user first exposed at {@code exposedAt}: [exposedAt, exposedAt + window). */
    public boolean inWindow(long exposedAt, long time) {
        return time >= exposedAt && time - exposedAt < window.toMillis();
    }
}
