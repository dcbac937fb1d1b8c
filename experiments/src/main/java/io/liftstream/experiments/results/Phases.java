package io.liftstream.experiments.results;

import io.liftstream.experiments.assignment.Arm;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.bandit.PolicyType;

import java.util.Locale;

/**
 * Phases of an experiment: stretches of time during which users were allocated the same way.
 *
 * <p>A phase starts when the allocation changes: the policy, the arms or their weights, the
 * {@code coverage} or the {@code holdout_pct} (GrowthBook starts a new phase on the same changes).
 * A user belongs to the phase of their first exposure. Within a phase every arm receives the same
 * mixture of days and users, so a comparison inside a phase is unconfounded; across phases it is
 * not (Simpson's paradox: an A/A test at 90/10 in a week with a high base rate, then 50/50 with
 * half the rate, reads −29 % pooled). {@link PhaseCombination} combines per-phase estimates.
 *
 * <p>Adaptive policies (thompson, top_two, ucb1, epsilon_greedy) change the allocation with the
 * data, so for them a phase is also cut into periods of {@code banditPeriodMillis} (aligned to the
 * epoch, UTC), within which the allocation is taken as constant: the "period" of gbstats'
 * bandit analysis with {@code weight_by_period} (GrowthBook, {@code gbstats/bandit/}, where a
 * period is a stretch between two bandit weight updates).
 */
public final class Phases {
    private Phases() {}

    /** What defines the allocation: two versions with equal keys are in the same phase. */
    public static String allocationKey(ExperimentDefinition d) {
        StringBuilder b = new StringBuilder(d.policy().wireName);
        for (Arm a : d.arms()) {
            b.append('|').append(a.name()).append('=').append(Double.toString(a.weight()));
        }
        return b.append("|coverage=").append(Double.toString(d.coverage()))
                .append("|holdout=").append(Double.toString(d.holdoutPct())).toString().toLowerCase(Locale.ROOT);
    }

    /** Whether the policy allocates by the data (its allocation changes without a new definition). */
    public static boolean adaptive(PolicyType policy) {
        return policy != PolicyType.FIXED && policy != PolicyType.UNIFORM;
    }

    /**
     * The phase of a user first exposed at {@code t} while the allocation in force since
     * {@code allocationStart} applied: {@code allocationStart}, or for an adaptive policy the later
     * of it and the start of {@code t}'s bandit period.
     */
    public static long phaseOf(ExperimentDefinition d, long allocationStart, long t, long banditPeriodMillis) {
        if (!adaptive(d.policy()) || banditPeriodMillis <= 0) {
            return allocationStart;
        }
        return Math.max(allocationStart, Math.floorDiv(t, banditPeriodMillis) * banditPeriodMillis);
    }
}
