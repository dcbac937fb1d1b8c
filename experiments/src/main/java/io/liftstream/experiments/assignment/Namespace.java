package io.liftstream.experiments.assignment;

/**
 * A slice [start, end) of a namespace, GrowthBook's {@code ["namespace-id", start, end]}: experiments
 * that take disjoint slices of one namespace never share a user (mutual exclusion).
 *
 * <p>A user is in the slice when the version-1 hash of the user id with seed {@code "__" + id} lies in
 * [start, end). The hash ignores the experiment, so all experiments of a namespace see the same
 * position per user.
 */
public record Namespace(String id, double start, double end) {
    public Namespace {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("namespace id must not be empty");
        }
        if (!(start >= 0 && start <= end && end <= 1)) {
            throw new IllegalArgumentException(
                    "namespace range must satisfy 0 <= start <= end <= 1, was [" + start + ", " + end + "]");
        }
    }

    /** The seed of the namespace hash: {@code "__" + id}. */
    public String seed() {
        return "__" + id;
    }

    /** The user's position in the namespace, in [0, 1). */
    public double position(String userId) {
        return HashVersion.V1.hash(seed(), userId);
    }

    public boolean contains(String userId) {
        return contains(position(userId));
    }

    /** Whether a position from {@link #position} lies in [start, end). */
    public boolean contains(double position) {
        return position >= start && position < end;
    }
}
