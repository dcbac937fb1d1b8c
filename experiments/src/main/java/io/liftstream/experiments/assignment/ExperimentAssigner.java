package io.liftstream.experiments.assignment;

import java.util.List;

/**
 * Deterministic assignment for one experiment, in GrowthBook's order: namespace, then hash with the
 * experiment's seed and version, then the bucket ranges from coverage and weights. Ranges are computed
 * once; {@link #assign} allocates only the result.
 *
 * <p>Holdout: a user is held out when in the global holdout (whether or not in this experiment), or
 * when in the experiment and in its own holdout. See {@link Holdouts} for the seeds.
 */
public final class ExperimentAssigner {
    private final ExperimentDefinition definition;
    private final List<BucketRange> ranges;
    private final double globalHoldoutPct;
    // Seeds concatenated once, not per user.
    private final String namespaceSeed;
    private final String holdoutSeed;

    public ExperimentAssigner(ExperimentDefinition definition, double globalHoldoutPct) {
        if (!(globalHoldoutPct >= 0 && globalHoldoutPct <= 100)) {
            throw new IllegalArgumentException("global holdout must be in [0, 100] percent, was " + globalHoldoutPct);
        }
        this.definition = definition;
        this.globalHoldoutPct = globalHoldoutPct;
        this.ranges = BucketRanges.of(definition.arms().size(), definition.coverage(), definition.weights());
        this.namespaceSeed = definition.namespace() == null ? null : definition.namespace().seed();
        this.holdoutSeed = Holdouts.experimentSeed(definition.seed());
    }

    public ExperimentAssigner(ExperimentDefinition definition) {
        this(definition, 0);
    }

    public List<BucketRange> ranges() {
        return ranges;
    }

    public Assignment assign(String userId) {
        double bucket = definition.hashVersion().hash(definition.seed(), userId);
        Namespace ns = definition.namespace();
        int arm = ns != null && !ns.contains(HashVersion.V1.hash(namespaceSeed, userId))
                ? -1 : BucketRanges.chooseVariation(bucket, ranges);
        boolean held = Holdouts.inGlobalHoldout(userId, globalHoldoutPct)
                || (arm >= 0 && definition.holdoutPct() > 0
                    && Holdouts.held(HashVersion.V2.hash(holdoutSeed, userId), definition.holdoutPct()));
        return new Assignment(userId, bucket, arm, arm >= 0 ? definition.arms().get(arm).name() : null, held);
    }
}
