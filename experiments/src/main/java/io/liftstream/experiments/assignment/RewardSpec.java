package io.liftstream.experiments.assignment;

import java.time.Duration;

/**
 * What rewards an experiment's arms: an outcome {@code event} (a Segment track event name such as
 * "Order Completed") inside {@code window} after exposure; {@code value} is {@link #CONVERSION} (a 0/1
 * reward, Beta–Bernoulli posteriors) or the name of a numeric event property such as "revenue"
 * (continuous reward, normal posteriors with unknown variance).
 */
public record RewardSpec(String event, String value, Duration window) {
    public static final String CONVERSION = "conversion";

    public RewardSpec {
        if (event == null || event.isBlank()) {
            throw new IllegalArgumentException("reward.event must not be empty");
        }
        if (value == null || value.isBlank()) {
            value = CONVERSION;
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("reward.window must be a positive ISO-8601 duration, was " + window);
        }
    }

    public boolean isConversion() {
        return CONVERSION.equals(value);
    }
}
