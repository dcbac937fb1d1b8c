package io.liftstream.experiments.assignment;

import io.liftstream.experiments.bandit.PolicyType;
import io.liftstream.experiments.bandit.RewardRange;
import io.liftstream.experiments.results.AnalysisSpec;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One experiment, as the decision job and {@code ./liftstream assign} read it (JSON field names in
 * brackets). Immutable and validated on construction: an invalid definition never reaches a decision.
 *
 * <ul>
 *   <li>{@code experimentId} [experiment_id]: required.</li>
 *   <li>{@code status} [status]: running (default), paused or stopped.</li>
 *   <li>{@code trigger} [trigger] or {@code placement} [placement]: what makes a request for it; optional.</li>
 *   <li>{@code arms} [arms: name, weight]: at least two, unique names; weights sum to 1 ± 0.01
 *       ({@link BucketRanges#WEIGHT_SUM_TOLERANCE}). GrowthBook would silently fall back to an equal
 *       split for bad weights; a definition refuses them instead, so the mistake is seen.</li>
 *   <li>{@code policy} [policy]: fixed (default), uniform, thompson, top_two, ucb1, epsilon_greedy.</li>
 *   <li>{@code coverage} [coverage]: share of (namespace) users in the experiment, [0, 1], default 1.</li>
 *   <li>{@code hashVersion} [hash_version]: 1 (default, as in GrowthBook) or 2.</li>
 *   <li>{@code seed} [seed]: the bucketing seed, default the experiment id.</li>
 *   <li>{@code namespace} [namespace: ["id", start, end]]: optional mutual-exclusion slice.</li>
 *   <li>{@code holdoutPct} [holdout_pct]: per-experiment holdout in percent, [0, 100], default 0.</li>
 *   <li>{@code reward} [reward: event, value, window]: optional until the decision job learns from it.</li>
 *   <li>{@code frequencyCap} [frequency_cap: max, per]: optional.</li>
 *   <li>{@code minArmShare} [min_arm_share]: bandit floor per arm, default 1%; k × floor ≤ 1.</li>
 *   <li>{@code burnIn} [burn_in]: uniform allocation until every arm has this many observations, default 100.</li>
 *   <li>{@code timestamp} [timestamp]: when this version took effect; optional.</li>
 *   <li>{@code analysis} [analysis]: how the results job analyses it ({@link AnalysisSpec}); optional,
 *       null means every default (sequential, the reward as primary metric).</li>
 *   <li>{@code rewardRange} [reward_range: [min, max]]: the range of a continuous reward, which UCB1 needs
 *       to rescale rewards to [0, 1] ({@link RewardRange}); required for ucb1 with a continuous reward
 *       (its bonus assumes [0, 1]), ignored by the other policies; optional.</li>
 * </ul>
 */
public record ExperimentDefinition(
        String experimentId,
        ExperimentStatus status,
        String trigger,
        String placement,
        List<Arm> arms,
        PolicyType policy,
        double coverage,
        HashVersion hashVersion,
        String seed,
        Namespace namespace,
        double holdoutPct,
        RewardSpec reward,
        FrequencyCap frequencyCap,
        double minArmShare,
        int burnIn,
        Instant timestamp,
        AnalysisSpec analysis,
        RewardRange rewardRange) {

    public static final ExperimentStatus DEFAULT_STATUS = ExperimentStatus.RUNNING;
    public static final PolicyType DEFAULT_POLICY = PolicyType.FIXED;
    public static final double DEFAULT_COVERAGE = 1.0;
    public static final HashVersion DEFAULT_HASH_VERSION = HashVersion.V1;
    public static final double DEFAULT_HOLDOUT_PCT = 0.0;
    public static final double DEFAULT_MIN_ARM_SHARE = 0.01;
    public static final int DEFAULT_BURN_IN = 100;

    public ExperimentDefinition {
        if (experimentId == null || experimentId.isBlank()) {
            throw new IllegalArgumentException("experiment_id must not be empty");
        }
        status = status == null ? DEFAULT_STATUS : status;
        policy = policy == null ? DEFAULT_POLICY : policy;
        hashVersion = hashVersion == null ? DEFAULT_HASH_VERSION : hashVersion;
        seed = seed == null || seed.isEmpty() ? experimentId : seed;
        arms = List.copyOf(Objects.requireNonNull(arms, "arms"));
        String where = "experiment '" + experimentId + "': ";
        if (arms.size() < 2) {
            throw new IllegalArgumentException(where + "needs at least two arms, has " + arms.size());
        }
        Set<String> names = new HashSet<>();
        double total = 0;
        for (Arm a : arms) {
            if (!names.add(a.name())) {
                throw new IllegalArgumentException(where + "duplicate arm name '" + a.name() + "'");
            }
            total += a.weight();
        }
        if (Math.abs(total - 1) > BucketRanges.WEIGHT_SUM_TOLERANCE) {
            throw new IllegalArgumentException(where + "arm weights must sum to 1 (± 0.01), sum to " + total);
        }
        if (!(coverage >= 0 && coverage <= 1)) {
            throw new IllegalArgumentException(where + "coverage must be in [0, 1], was " + coverage);
        }
        if (!(holdoutPct >= 0 && holdoutPct <= 100)) {
            throw new IllegalArgumentException(where + "holdout_pct must be in [0, 100] (percent), was " + holdoutPct);
        }
        if (!(minArmShare >= 0 && minArmShare * arms.size() <= 1)) {
            throw new IllegalArgumentException(where + "min_arm_share must be in [0, 1/" + arms.size()
                    + "] for " + arms.size() + " arms, was " + minArmShare);
        }
        if (burnIn < 0) {
            throw new IllegalArgumentException(where + "burn_in must not be negative, was " + burnIn);
        }
        if (policy == PolicyType.UCB1 && reward != null && !reward.isConversion() && rewardRange == null) {
            throw new IllegalArgumentException(where + "policy ucb1 assumes rewards in [0, 1], but reward.value '"
                    + reward.value() + "' is unbounded: declare reward_range [min, max] (ucb1 then rescales"
                    + " rewards to [0, 1]) or use policy thompson or top_two");
        }
        if (rewardRange != null && (reward == null || reward.isConversion())
                && (rewardRange.min() > 0 || rewardRange.max() < 1)) {
            throw new IllegalArgumentException(where + "reward_range [" + rewardRange.min() + ", " + rewardRange.max()
                    + "] must contain the conversion rewards 0 and 1");
        }
        if (analysis != null) {
            if (analysis.control() != null && !names.contains(analysis.control())) {
                throw new IllegalArgumentException(where + "analysis.control '" + analysis.control() + "' is not an arm");
            }
            if (analysis.primary() == null && reward == null) {
                throw new IllegalArgumentException(where + "analysis needs analysis.primary or a reward to measure");
            }
        }
    }

    /** The analysis settings, with every default filled in when the definition has none. */
    public AnalysisSpec analysisOrDefaults() {
        return analysis != null ? analysis : AnalysisSpec.DEFAULTS;
    }

    /** The arms' weights in order. */
    public double[] weights() {
        double[] w = new double[arms.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = arms.get(i).weight();
        }
        return w;
    }

    public Optional<Namespace> namespaceSlice() {
        return Optional.ofNullable(namespace);
    }

    /** Equal-weight arms with these names: 1/k each. */
    public static List<Arm> equalArms(String... names) {
        double[] w = BucketRanges.equalWeights(names.length);
        Arm[] arms = new Arm[names.length];
        for (int i = 0; i < names.length; i++) {
            arms[i] = new Arm(names[i], w[i]);
        }
        return List.of(arms);
    }

    public static Builder builder(String experimentId) {
        return new Builder(experimentId);
    }

    /** Builds a definition from the defaults above; {@link #build()} validates. */
    public static final class Builder {
        private final String experimentId;
        private ExperimentStatus status = DEFAULT_STATUS;
        private String trigger;
        private String placement;
        private List<Arm> arms = List.of();
        private PolicyType policy = DEFAULT_POLICY;
        private double coverage = DEFAULT_COVERAGE;
        private HashVersion hashVersion = DEFAULT_HASH_VERSION;
        private String seed;
        private Namespace namespace;
        private double holdoutPct = DEFAULT_HOLDOUT_PCT;
        private RewardSpec reward;
        private FrequencyCap frequencyCap;
        private double minArmShare = DEFAULT_MIN_ARM_SHARE;
        private int burnIn = DEFAULT_BURN_IN;
        private Instant timestamp;
        private AnalysisSpec analysis;
        private RewardRange rewardRange;

        private Builder(String experimentId) {
            this.experimentId = experimentId;
        }

        public Builder status(ExperimentStatus v) { this.status = v; return this; }
        public Builder trigger(String v) { this.trigger = v; return this; }
        public Builder placement(String v) { this.placement = v; return this; }
        public Builder arms(List<Arm> v) { this.arms = v; return this; }
        public Builder arms(String... names) { this.arms = equalArms(names); return this; }
        public Builder policy(PolicyType v) { this.policy = v; return this; }
        public Builder coverage(double v) { this.coverage = v; return this; }
        public Builder hashVersion(HashVersion v) { this.hashVersion = v; return this; }
        public Builder seed(String v) { this.seed = v; return this; }
        public Builder namespace(Namespace v) { this.namespace = v; return this; }
        public Builder holdoutPct(double v) { this.holdoutPct = v; return this; }
        public Builder reward(RewardSpec v) { this.reward = v; return this; }
        public Builder frequencyCap(FrequencyCap v) { this.frequencyCap = v; return this; }
        public Builder minArmShare(double v) { this.minArmShare = v; return this; }
        public Builder burnIn(int v) { this.burnIn = v; return this; }
        public Builder timestamp(Instant v) { this.timestamp = v; return this; }
        public Builder analysis(AnalysisSpec v) { this.analysis = v; return this; }
        public Builder rewardRange(RewardRange v) { this.rewardRange = v; return this; }

        public ExperimentDefinition build() {
            return new ExperimentDefinition(experimentId, status, trigger, placement, arms, policy, coverage,
                    hashVersion, seed, namespace, holdoutPct, reward, frequencyCap, minArmShare, burnIn, timestamp,
                    analysis, rewardRange);
        }
    }
}
