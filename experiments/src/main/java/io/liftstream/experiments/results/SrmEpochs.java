package io.liftstream.experiments.results;

import io.liftstream.experiments.stats.srm.ChiSquareSrm;
import io.liftstream.experiments.stats.srm.SequentialSrm;

import java.util.Arrays;

/**
 * Sample ratio mismatch against the arm weights <em>in force when each user was exposed</em>, so a
 * ramp-up (weights changed mid-experiment) does not raise a false alarm.
 *
 * <p>Exposures are counted per epoch, an epoch being a stretch with unchanged arms and weights. The
 * evidence of Lindon &amp; Malek's sequential test (see {@link SequentialSrm}) is a Bayes factor
 * that is a test martingale under the null; the factors of successive epochs multiply into one test
 * martingale (each epoch's factor starts at 1 and is a martingale given the past), so the p-value
 * {@code min(previous, 1 / Π BF)} stays anytime-valid across weight changes (Ville's inequality).
 * The chi-square p-value covers the current epoch only.
 */
public final class SrmEpochs {
    private SrmEpochs() {}

    /** Counts {@code n} new users in {@code arm}, exposed while {@code arms} had {@code weights}. */
    public static void addUsers(ResultsMemory m, String[] arms, double[] weights, String arm, long n) {
        if (m.srmArms == null || !Arrays.equals(m.srmArms, arms) || !Arrays.equals(m.srmWeights, weights)) {
            if (m.srmCounts != null && total(m.srmCounts) > 0) {
                m.srmClosedLogBf += SequentialSrm.logBayesFactor(m.srmCounts, m.srmWeights, SequentialSrm.DEFAULT_CONCENTRATION);
            }
            m.srmArms = arms.clone();
            m.srmWeights = weights.clone();
            m.srmCounts = new long[arms.length];
        }
        for (int i = 0; i < arms.length; i++) {
            if (arms[i].equals(arm)) {
                m.srmCounts[i] += n;
                return;
            }
        }
    }

    /** The anytime-valid sequential SRM p-value now; updates {@link ResultsMemory#srmPrevious}. */
    public static double sequentialPValue(ResultsMemory m) {
        double logBf = m.srmClosedLogBf;
        if (m.srmCounts != null && total(m.srmCounts) > 0) {
            logBf += SequentialSrm.logBayesFactor(m.srmCounts, m.srmWeights, SequentialSrm.DEFAULT_CONCENTRATION);
        }
        double current = logBf <= 0 ? 1.0 : Math.exp(-logBf);
        m.srmPrevious = Math.min(m.srmPrevious, current);
        return m.srmPrevious;
    }

    /** Pearson's chi-square p-value of the current epoch's counts (1 without counts). */
    public static double chiSquarePValue(ResultsMemory m) {
        if (m.srmCounts == null || total(m.srmCounts) == 0) {
            return 1.0;
        }
        return ChiSquareSrm.pValue(m.srmCounts, m.srmWeights);
    }

    private static long total(long[] counts) {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }
}
