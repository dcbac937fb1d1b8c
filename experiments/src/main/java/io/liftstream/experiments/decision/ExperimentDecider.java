package io.liftstream.experiments.decision;

import io.liftstream.experiments.assignment.Arm;
import io.liftstream.experiments.assignment.Assignment;
import io.liftstream.experiments.assignment.ExperimentAssigner;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.bandit.ArmPosteriors;
import io.liftstream.experiments.bandit.BanditAllocator;
import io.liftstream.experiments.bandit.BanditPolicy;
import io.liftstream.experiments.bandit.BanditSettings;
import io.liftstream.experiments.bandit.BetaBernoulliPosteriors;
import io.liftstream.experiments.bandit.ConversionStats;
import io.liftstream.experiments.bandit.Decision;
import io.liftstream.experiments.bandit.NormalGammaPosteriors;
import io.liftstream.experiments.bandit.PolicyType;
import io.liftstream.experiments.bandit.ValueStats;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The decision for one request in one experiment version, in this order:
 * <ol>
 *   <li>paused → {@code paused}; stopped → {@code fallback} (the default arm);</li>
 *   <li>opted out → {@code consent}; suppressed → {@code suppressed} (the default arm);</li>
 *   <li>global or experiment holdout ({@link ExperimentAssigner}) → {@code holdout}, {@code in_holdout}
 *       true, the default arm, no treatment;</li>
 *   <li>outside coverage or namespace → {@code fallback};</li>
 *   <li>frequency cap reached → {@code capped};</li>
 *   <li>an earlier assignment to an arm that still exists → {@code sticky}, with its first propensity;</li>
 *   <li>else {@code assigned}: under the fixed policy the GrowthBook bucket's arm (what {@code
 *       ./liftstream assign} prints), under a bandit policy a draw from the posterior snapshot, seeded
 *       by the decision id.</li>
 * </ol>
 * The default arm is the definition's first arm: list the business-as-usual experience first.
 * Immutable and thread-safe; one per definition version.
 */
public final class ExperimentDecider {
    private final ExperimentDefinition definition;
    private final ExperimentAssigner assigner;
    private final BanditAllocator allocator;
    private final double weightSum;

    public ExperimentDecider(ExperimentDefinition definition, double globalHoldoutPct) {
        this.definition = definition;
        this.assigner = new ExperimentAssigner(definition, globalHoldoutPct);
        this.allocator = definition.policy() == PolicyType.FIXED ? null
                : new BanditAllocator(BanditPolicy.of(definition.policy(), definition.rewardRange()),
                        new BanditSettings(definition.minArmShare(), definition.burnIn()));
        double sum = 0;
        for (Arm a : definition.arms()) {
            sum += a.weight();
        }
        this.weightSum = sum;
    }

    public ExperimentDefinition definition() {
        return definition;
    }

    public String defaultArm() {
        return definition.arms().get(0).name();
    }

    public boolean isBandit() {
        return allocator != null;
    }

    /** Whether rewards are continuous (a property such as revenue) rather than conversions. */
    public boolean continuousReward() {
        return definition.reward() != null && !definition.reward().isConversion();
    }

    public DecisionOutcome decide(String userId, UserSignals user, String decisionId, Supplier<ArmPosteriors> posteriors) {
        String dflt = defaultArm();
        if (definition.status() == ExperimentStatus.PAUSED) {
            return untreated(DecisionReason.PAUSED, false);
        }
        if (definition.status() == ExperimentStatus.STOPPED) {
            return untreated(DecisionReason.FALLBACK, false);
        }
        if (user.optedOut()) {
            return untreated(DecisionReason.CONSENT, false);
        }
        if (user.suppressed()) {
            return untreated(DecisionReason.SUPPRESSED, false);
        }
        Assignment a = assigner.assign(userId);
        if (a.inHoldout()) {
            return untreated(DecisionReason.HOLDOUT, true);
        }
        if (!a.inExperiment()) {
            return untreated(DecisionReason.FALLBACK, false);
        }
        if (definition.frequencyCap() != null && user.treatmentsInWindow() >= definition.frequencyCap().max()) {
            return untreated(DecisionReason.CAPPED, false);
        }
        if (user.stickyArm() != null && armIndex(user.stickyArm()) >= 0) {
            return new DecisionOutcome(DecisionReason.STICKY, user.stickyArm(), user.stickyPropensity(), false);
        }
        if (allocator == null) {
            Arm arm = definition.arms().get(a.armIndex());
            return new DecisionOutcome(DecisionReason.ASSIGNED, arm.name(), arm.weight() / weightSum, false);
        }
        Decision d = allocator.decide(posteriors.get(), new SplittableRandom(DecisionIds.seed(decisionId)));
        return new DecisionOutcome(DecisionReason.ASSIGNED, definition.arms().get(d.arm()).name(), d.propensity(), false);
    }

    private DecisionOutcome untreated(DecisionReason reason, boolean holdout) {
        return new DecisionOutcome(reason, defaultArm(), 1.0, holdout);
    }

    public int armIndex(String name) {
        List<Arm> arms = definition.arms();
        for (int i = 0; i < arms.size(); i++) {
            if (arms.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The posteriors of this version's arms from reward tallies by arm name (absent arms have none):
     * Beta–Bernoulli for conversions (and when the experiment has no reward), normal-gamma for a
     * continuous reward.
     */
    public ArmPosteriors posteriors(Map<String, RewardTally> byArm) {
        List<Arm> arms = definition.arms();
        if (continuousReward()) {
            ValueStats[] stats = new ValueStats[arms.size()];
            for (int i = 0; i < stats.length; i++) {
                RewardTally t = byArm.get(arms.get(i).name());
                stats[i] = t == null ? ValueStats.EMPTY : t.values();
            }
            return NormalGammaPosteriors.of(stats);
        }
        ConversionStats[] stats = new ConversionStats[arms.size()];
        for (int i = 0; i < stats.length; i++) {
            RewardTally t = byArm.get(arms.get(i).name());
            stats[i] = t == null ? ConversionStats.EMPTY : t.conversions();
        }
        return BetaBernoulliPosteriors.of(stats);
    }
}
