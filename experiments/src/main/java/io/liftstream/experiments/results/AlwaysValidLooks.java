package io.liftstream.experiments.results;

import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Status;

import java.util.Map;

/**
 * Makes an always-valid comparison ({@code sequential}, {@code msprt}) consistent across looks: the
 * reported interval is the running intersection of the intervals of every look so far, and
 * {@code significant} is "that interval excludes 0".
 *
 * <p>A confidence sequence (C_t) covers the true effect at every t simultaneously with probability
 * ≥ 1 − α, so the intersection ∩_{s≤t} C_s does too (Howard, Ramdas, McAuliffe, Sekhon 2021,
 * "Time-uniform, nonparametric, nonasymptotic confidence sequences", Ann. Statist. 49(2): a
 * confidence sequence may be replaced by its running intersection; Optimizely's Stats Engine
 * reports it, Johari, Koomen, Pekelis, Walsh 2022, "Always valid inference", Oper. Res. 70(3)). Consequences, for intervals whose
 * p-value is "the α at which the interval touches 0" (true of the confidence sequence and of the
 * mSPRT):
 * <ul>
 *   <li>the running-minimum p ≤ α ⇔ some look's interval excluded 0 ⇔ the intersection excludes 0
 *       (intervals that all contain 0 intersect in an interval containing 0), so p-value, interval
 *       and {@code significant} agree in every record;</li>
 *   <li>the direction is fixed at the first crossing: once the intersection lies on one side of 0 it
 *       can only shrink there, never reach the other side (it would become empty first);</li>
 *   <li>an empty intersection is what the guarantee rules out (probability ≤ α when the effect is
 *       constant): the comparison reports {@link Status#LOOKS_DISAGREE}, never an inverted interval,
 *       and keeps it (an empty intersection stays empty).</li>
 * </ul>
 * With {@code family} &gt; 1 treatments the caller computes the intervals at α/family (Bonferroni)
 * and the adjusted p-value is min(1, family · p), so {@code significant} ⇔ adjusted p ≤ α ⇔ the
 * reported interval excludes 0 hold together.
 */
public final class AlwaysValidLooks {
    private AlwaysValidLooks() {}

    /**
     * The comparison with its interval intersected with the earlier looks' (kept in
     * {@code intervals} under {@code key}, updated); a comparison without numbers passes unchanged.
     */
    public static AnalysisResult.Comparison intersect(AnalysisResult.Comparison c, Map<String, double[]> intervals,
            String key, int family) {
        if (!c.status().ok()) {
            return c;
        }
        double[] previous = intervals.get(key);
        double lower = c.ciLower();
        double upper = c.ciUpper();
        if (previous != null) {
            lower = Math.max(previous[0], lower);
            upper = Math.min(previous[1], upper);
        }
        intervals.put(key, new double[] {lower, upper});
        if (!(lower <= upper)) {
            return AnalysisResult.Comparison.failed(c.arm(), Status.LOOKS_DISAGREE);
        }
        double adjusted = Math.min(1.0, family * c.pValue());
        boolean significant = lower > 0 || upper < 0;
        return new AnalysisResult.Comparison(c.arm(), c.status(), c.expected(), c.se(), lower, upper, c.pValue(),
                adjusted, c.chanceToWin(), c.riskControl(), c.riskTreatment(), significant, c.absolute());
    }
}
