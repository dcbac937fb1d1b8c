package io.liftstream.experiments.stats.sequential;

import java.util.Arrays;

/**
 * The plan and history of a group sequential test.
 *
 * @param maxN planned maximum total sample size (n_control + n_treatment) at the final analysis
 * @param looks total sample sizes at every look taken so far, the current one last; strictly
 *     increasing
 */
public record GstPlan(long maxN, long[] looks) {

    public GstPlan {
        if (maxN <= 0) {
            throw new IllegalArgumentException("gst.max_n must be positive");
        }
        if (looks.length == 0) {
            throw new IllegalArgumentException("gst.looks_n must name at least the current look");
        }
        for (int i = 0; i < looks.length; i++) {
            if (looks[i] <= 0) {
                throw new IllegalArgumentException("gst.looks_n must be positive");
            }
            if (i > 0 && looks[i] <= looks[i - 1]) {
                throw new IllegalArgumentException("gst.looks_n must increase strictly");
            }
        }
        looks = looks.clone();
    }

    /**
     * The plan with the current total sample size as its last look: {@code looks} are the earlier
     * looks, and {@code currentN} is appended unless it already is the last one.
     */
    public static GstPlan withCurrent(long maxN, long[] earlierLooks, long currentN) {
        if (earlierLooks.length > 0 && earlierLooks[earlierLooks.length - 1] == currentN) {
            return new GstPlan(maxN, earlierLooks);
        }
        if (earlierLooks.length > 0 && earlierLooks[earlierLooks.length - 1] > currentN) {
            throw new IllegalArgumentException("the current total n (" + currentN
                    + ") is below the last of gst.looks_n (" + earlierLooks[earlierLooks.length - 1] + ")");
        }
        long[] all = Arrays.copyOf(earlierLooks, earlierLooks.length + 1);
        all[earlierLooks.length] = currentN;
        return new GstPlan(maxN, all);
    }

    /** Information fractions n_k / max_n. */
    public double[] fractions() {
        double[] f = new double[looks.length];
        for (int i = 0; i < looks.length; i++) {
            f[i] = (double) looks[i] / maxN;
        }
        return f;
    }

    @Override
    public long[] looks() {
        return looks.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GstPlan p && p.maxN == maxN && Arrays.equals(p.looks, looks);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(maxN) + Arrays.hashCode(looks);
    }

    @Override
    public String toString() {
        return "GstPlan[maxN=" + maxN + ", looks=" + Arrays.toString(looks) + "]";
    }
}
