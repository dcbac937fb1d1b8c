package io.liftstream.experiments.assignment;

/**
 * Holdout membership: the global holdout (a share of all users that gets no treatment from any
 * experiment, the long-term control) and the per-experiment holdout.
 *
 * <p>Each is decided by its own hash, so it is independent of the arm: the global holdout hashes the
 * user id with the fixed seed {@value #GLOBAL_SEED}; an experiment's holdout hashes it with seed
 * {@code "__holdout__" + experiment seed} ({@link #EXPERIMENT_SEED_PREFIX}). Both use hash version 2
 * whatever the experiment's {@code hash_version}: it is unbiased and resolves 0.01%, where version 1
 * resolves only 0.1% and correlates across seeds that share a suffix. The arm hash uses the bare
 * experiment seed, so the three hashes never coincide; the tests check independence by chi-square.
 */
public final class Holdouts {
    private Holdouts() {}

    /** Seed of the global holdout hash. Changing it reshuffles the long-term control: never do. */
    public static final String GLOBAL_SEED = "__liftstream_global_holdout__";
    /** Prefix of an experiment's holdout seed; the experiment's bucketing seed follows it. */
    public static final String EXPERIMENT_SEED_PREFIX = "__holdout__";

    /** The user's position for the global holdout, in [0, 1). */
    public static double globalPosition(String userId) {
        return HashVersion.V2.hash(GLOBAL_SEED, userId);
    }

    /** The seed of the holdout of the experiment with bucketing seed {@code experimentSeed}. */
    public static String experimentSeed(String experimentSeed) {
        return EXPERIMENT_SEED_PREFIX + experimentSeed;
    }

    /** The user's position for the holdout of the experiment with bucketing seed {@code experimentSeed}. */
    public static double experimentPosition(String experimentSeed, String userId) {
        return HashVersion.V2.hash(experimentSeed(experimentSeed), userId);
    }

    /** Whether a position falls in a holdout of {@code pct} percent: the lowest pct% of positions. */
    public static boolean held(double position, double pct) {
        return position < pct / 100.0;
    }

    public static boolean inGlobalHoldout(String userId, double globalPct) {
        return globalPct > 0 && held(globalPosition(userId), globalPct);
    }

    public static boolean inExperimentHoldout(ExperimentDefinition def, String userId) {
        return def.holdoutPct() > 0 && held(experimentPosition(def.seed(), userId), def.holdoutPct());
    }
}
