package io.liftstream.jobs.sql.functions;

import java.util.Arrays;

/** Arguments of the SRM functions: NULL anywhere (or mismatched lengths) makes the result NULL. */
final class SrmArguments {
    private SrmArguments() {}

    static long[] counts(Long[] counts) {
        if (counts == null) {
            return null;
        }
        long[] n = new long[counts.length];
        for (int i = 0; i < n.length; i++) {
            if (counts[i] == null || counts[i] < 0) {
                return null;
            }
            n[i] = counts[i];
        }
        return n;
    }

    /** The weights, equal when {@code weights} is null; null when they cannot be used. */
    static double[] weights(Double[] weights, int arms) {
        if (weights == null) {
            double[] w = new double[arms];
            Arrays.fill(w, 1.0);
            return w;
        }
        if (weights.length != arms) {
            return null;
        }
        double[] w = new double[arms];
        for (int i = 0; i < arms; i++) {
            if (weights[i] == null || !(weights[i] >= 0) || !Double.isFinite(weights[i])) {
                return null;
            }
            w[i] = weights[i];
        }
        return w;
    }
}
