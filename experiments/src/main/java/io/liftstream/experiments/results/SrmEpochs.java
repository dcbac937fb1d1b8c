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
 *
 * <p>The holdout share is checked the same way ({@link #addHoldoutUsers}): an epoch is a stretch
 * with unchanged {@code holdout_pct}, each user counted as held out or treated against the
 * percentage in force when exposed. (Checking all users against the current percentage made a
 * change from 10 % to 20 % read p = 7.9e-48.) Epochs with a holdout of 0 or 100 % expect one group
 * only and add no evidence.
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

    /** Counts {@code n} new users, held out or treated, exposed while the holdout was {@code holdoutPct} percent. */
    public static void addHoldoutUsers(ResultsMemory m, double holdoutPct, boolean heldOut, long n) {
        if (m.holdoutSrmPct == null || m.holdoutSrmPct != holdoutPct || m.holdoutSrmCounts == null) {
            m.holdoutSrmClosedLogBf += holdoutLogBf(m);
            m.holdoutSrmPct = holdoutPct;
            m.holdoutSrmCounts = new long[2];
        }
        m.holdoutSrmCounts[heldOut ? 0 : 1] += n;
    }

    /** The anytime-valid sequential SRM p-value of the holdout share; updates {@link ResultsMemory#holdoutSrmPrevious}. */
    public static double holdoutSequentialPValue(ResultsMemory m) {
        double logBf = m.holdoutSrmClosedLogBf + holdoutLogBf(m);
        double current = logBf <= 0 ? 1.0 : Math.exp(-logBf);
        m.holdoutSrmPrevious = Math.min(m.holdoutSrmPrevious, current);
        return m.holdoutSrmPrevious;
    }

    /** Pearson's chi-square p-value of the current holdout epoch (NaN when its holdout is 0 or 100 %, 1 without users). */
    public static double holdoutChiSquarePValue(ResultsMemory m) {
        if (m.holdoutSrmPct == null || !checkable(m.holdoutSrmPct)) {
            return Double.NaN;
        }
        if (total(m.holdoutSrmCounts) == 0) {
            return 1.0;
        }
        return ChiSquareSrm.pValue(m.holdoutSrmCounts, holdoutWeights(m.holdoutSrmPct));
    }

    /** Whether the current holdout epoch can be checked (0 &lt; holdout_pct &lt; 100). */
    public static boolean holdoutCheckable(ResultsMemory m) {
        return m.holdoutSrmPct != null && checkable(m.holdoutSrmPct);
    }

    private static double holdoutLogBf(ResultsMemory m) {
        if (m.holdoutSrmPct == null || m.holdoutSrmCounts == null || !checkable(m.holdoutSrmPct)
                || total(m.holdoutSrmCounts) == 0) {
            return 0;
        }
        return SequentialSrm.logBayesFactor(m.holdoutSrmCounts, holdoutWeights(m.holdoutSrmPct),
                SequentialSrm.DEFAULT_CONCENTRATION);
    }

    private static boolean checkable(double pct) {
        return pct > 0 && pct < 100;
    }

    private static double[] holdoutWeights(double pct) {
        return new double[] {pct / 100, 1 - pct / 100};
    }

    private static long total(long[] counts) {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }
}
