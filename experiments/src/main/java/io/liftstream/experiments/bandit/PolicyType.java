package io.liftstream.experiments.bandit;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How an experiment allocates users to arms; {@link #wireName} is the name in JSON and on the command line. */
public enum PolicyType {
    /** Deterministic hash bucketing with fixed weights (a classic A/B test); propensity = the arm's weight. */
    FIXED("fixed"),
    /** Every arm with probability 1/k. */
    UNIFORM("uniform"),
    /** Thompson sampling (Thompson 1933). */
    THOMPSON("thompson"),
    /** Top-two Thompson sampling (Russo 2016). */
    TOP_TWO("top_two"),
    /** UCB1 (Auer, Cesa-Bianchi, Fischer 2002). */
    UCB1("ucb1"),
    /** Epsilon-greedy. */
    EPSILON_GREEDY("epsilon_greedy");

    public final String wireName;

    PolicyType(String wireName) {
        this.wireName = wireName;
    }

    /** The policy of that wire name; the message lists the valid names. */
    public static PolicyType of(String wireName) {
        for (PolicyType p : values()) {
            if (p.wireName.equals(wireName)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown policy '" + wireName + "', expected one of "
                + Arrays.stream(values()).map(p -> p.wireName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
