package io.liftstream.experiments.decision;

/**
 * What the decision job knows about a user at the request's time, from its keyed state.
 *
 * @param stickyArm          the arm assigned earlier in this experiment, or null
 * @param stickyPropensity   the propensity of that first assignment
 * @param treatmentsInWindow treatments in this experiment within the frequency cap's period before now
 */
public record UserSignals(boolean optedOut, boolean suppressed, String stickyArm, double stickyPropensity,
        int treatmentsInWindow) {
    public static final UserSignals NONE = new UserSignals(false, false, null, 0, 0);
}
