package io.liftstream.experiments.assignment;

/**
 * Where a user lands in an experiment.
 *
 * @param bucket    the bucketing hash of the user id under the experiment's seed and hash version, [0, 1)
 * @param armIndex  index into the experiment's arms, or -1 when outside the namespace or the coverage
 * @param arm       the arm's name, or null when {@code armIndex} is -1
 * @param inHoldout in the global holdout, or in the experiment and in its holdout: serve no treatment.
 *                  {@code arm} still shows the arm the bucketing gives, so holdout and arm stay
 *                  visibly independent
 */
public record Assignment(String userId, double bucket, int armIndex, String arm, boolean inHoldout) {
    public boolean inExperiment() {
        return armIndex >= 0;
    }
}
