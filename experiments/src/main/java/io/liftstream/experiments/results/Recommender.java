package io.liftstream.experiments.results;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The recommendation of a result, by the first rule that applies:
 * <ol>
 *   <li><b>investigate_srm</b>: the sequential SRM p-value is at most {@value #SRM_THRESHOLD} (the
 *       threshold GrowthBook uses): the split is not what the weights say, so no lift can be trusted.
 *       Checked for fixed and uniform allocation only.</li>
 *   <li><b>continue</b>: no comparison of the primary metric has numbers: too few users yet, or the
 *       always-valid intervals of successive looks stopped overlapping ({@code LOOKS_DISAGREE}: the
 *       effect is not constant, the sequential test cannot decide; the reason says to investigate).</li>
 *   <li><b>continue</b>: method {@code fixed} or {@code bayesian} while the experiment is not
 *       stopped: a fixed-horizon test is read once, at the end, and so is a chance to win (no
 *       error-rate guarantee under continuous looks: acted on at hourly results, GrowthBook's rule
 *       ships or stops 73 % of A/A tests over 28 days).</li>
 *   <li><b>stop</b>: a guardrail is significantly worse (against its {@code desired} direction) in
 *       some arm.</li>
 *   <li><b>ship &lt;arm&gt;</b>: one or more arms are significantly better than control on the
 *       primary metric (in its {@code desired} direction): the one with the largest lift.</li>
 *   <li><b>stop</b>: every treatment is significantly worse than control: keep control.</li>
 *   <li><b>stop</b>: {@code gst} and a pair reached {@code gst_max_n} without crossing the
 *       boundary: no effect of the planned size.</li>
 *   <li><b>stop</b>: the experiment is stopped and nothing is significant: keep control.</li>
 *   <li><b>continue</b>: otherwise.</li>
 * </ol>
 * "Significant" is the analysis' own: adjusted p ≤ α for the p-value methods, the boundary for
 * gst, and for bayesian GrowthBook's rule (chance to win beyond {@code confidence_level}, 95 % by
 * default, and risk within {@code win_risk}, 0.25 %; see {@code BayesianRule}). The direction of a
 * significant comparison is the side of 0 its interval lies on (for sequential and msprt the running
 * intersection over the looks, fixed at the first crossing), not the sign of the current estimate:
 * a record that says "significant, interval above 0" never leads to "worse", whatever the latest
 * look's point estimate.
 *
 * <p>A comparison whose relative lift is unreliable (status {@code relative_lift_unreliable}: the
 * control mean is near 0) is judged on its absolute comparison ({@link AnalysisResult.Comparison#decision()});
 * without one it is never acted on.
 */
public final class Recommender {
    /** Sequential SRM p-value at or below which the split is investigated. */
    public static final double SRM_THRESHOLD = 0.001;

    private Recommender() {}

    public static Recommendation recommend(ExperimentDefinition d, ExperimentResult r, boolean srmApplies) {
        AnalysisResult primary = r.primary();
        MetricSpec metric = r.primaryMetric();
        AnalysisSpec a = d.analysisOrDefaults();
        if (srmApplies && primary.sequentialSrmPValue() <= SRM_THRESHOLD) {
            return new Recommendation(Recommendation.INVESTIGATE_SRM, String.format(Locale.ROOT,
                    "sample ratio mismatch: sequential SRM p = %s <= %s against the weights in force (users: %s)",
                    num(primary.sequentialSrmPValue()), num(SRM_THRESHOLD), users(primary)));
        }
        List<AnalysisResult.Comparison> ok = new ArrayList<>();
        for (AnalysisResult.Comparison c : primary.comparisons()) {
            if (c.status().ok()) {
                ok.add(c);
            }
        }
        if (ok.isEmpty()) {
            for (AnalysisResult.Comparison c : primary.comparisons()) {
                if (c.status() == Status.LOOKS_DISAGREE) {
                    return new Recommendation(Recommendation.CONTINUE, String.format(Locale.ROOT,
                            "no decision on '%s': arm '%s': %s; investigate before acting (users: %s)", metric.name(),
                            c.arm(), c.status().reason(), users(primary)));
                }
            }
            return new Recommendation(Recommendation.CONTINUE, "waiting for data: "
                    + (primary.error() != null ? primary.error() : "no comparison yet"));
        }
        boolean stopped = d.status() == ExperimentStatus.STOPPED;
        if (a.method() == Method.FIXED && !stopped) {
            return new Recommendation(Recommendation.CONTINUE,
                    "fixed-horizon test: read it once, when the experiment is stopped (peeking inflates false positives)");
        }
        if (a.method() == Method.BAYESIAN && !stopped) {
            // Chance to win is no error-rate guarantee under continuous looks: acted on at every
            // hourly result, GrowthBook's rule ships or stops 73 % of A/A tests over 28 days
            // (README, simulate aa --through results). Like fixed, it is read once, when stopped.
            return new Recommendation(Recommendation.CONTINUE,
                    "bayesian: chance to win is not valid under continuous looks (acted on hourly it ships or stops most "
                            + "A/A tests): read it when the experiment is stopped, or use sequential");
        }
        for (ExperimentResult.Guardrail g : r.guardrails()) {
            for (AnalysisResult.Comparison c : g.result().comparisons()) {
                if (c.status().ok() && decisive(c) && !better(c.decision(), g.metric())) {
                    return new Recommendation(Recommendation.STOP, String.format(Locale.ROOT,
                            "guardrail '%s' is significantly worse in arm '%s': %s", g.metric().name(), c.arm(),
                            effect(c, a.relative())));
                }
            }
        }
        AnalysisResult.Comparison best = null;
        int worse = 0;
        for (AnalysisResult.Comparison c : ok) {
            if (!decisive(c)) {
                continue;
            }
            if (better(c.decision(), metric)) {
                if (best == null || improvement(c, metric) > improvement(best, metric)) {
                    best = c;
                }
            } else {
                worse++;
            }
        }
        if (best != null) {
            return Recommendation.ship(best.arm(), String.format(Locale.ROOT,
                    "arm '%s' is significantly better than control on '%s': %s", best.arm(), metric.name(),
                    effect(best, a.relative())));
        }
        if (worse == primary.comparisons().size()) {
            return new Recommendation(Recommendation.STOP, String.format(Locale.ROOT,
                    "every treatment is significantly worse than control on '%s': keep control", metric.name()));
        }
        if (a.method() == Method.GST) {
            for (AnalysisResult.Comparison c : ok) {
                long pairN = pairN(primary, a, c.arm(), d);
                if (pairN >= a.gstMaxN()) {
                    return new Recommendation(Recommendation.STOP, String.format(Locale.ROOT,
                            "gst: arm '%s' and control reached the planned %d users (%d) without crossing the boundary: "
                                    + "no effect of the planned size", c.arm(), a.gstMaxN(), pairN));
                }
            }
        }
        if (stopped) {
            return new Recommendation(Recommendation.STOP, String.format(Locale.ROOT,
                    "the experiment is stopped with no significant difference on '%s': keep control", metric.name()));
        }
        AnalysisResult.Comparison closest = ok.get(0);
        for (AnalysisResult.Comparison c : ok) {
            if (strength(c) > strength(closest)) {
                closest = c;
            }
        }
        return new Recommendation(Recommendation.CONTINUE, String.format(Locale.ROOT,
                "no significant difference yet on '%s' (closest: arm '%s', %s; users: %s)", metric.name(), closest.arm(),
                effect(closest, a.relative()), users(primary)));
    }

    /**
     * Whether the comparison's lift goes the metric's good way: the side of 0 of a significant
     * comparison's interval when it excludes 0, else the sign of the estimate.
     */
    static boolean better(AnalysisResult.Comparison c, MetricSpec m) {
        double direction = c.expected();
        if (c.significant() && c.ciLower() > 0) {
            direction = 1;
        } else if (c.significant() && c.ciUpper() < 0) {
            direction = -1;
        }
        return m.desired() == MetricSpec.Desired.INCREASE ? direction > 0 : direction < 0;
    }

    /** Largest lift first (the point estimate; an unreliable relative lift has the absolute lift's sign). */
    private static double improvement(AnalysisResult.Comparison c, MetricSpec m) {
        return m.desired() == MetricSpec.Desired.INCREASE ? c.expected() : -c.expected();
    }

    /**
     * Significant in what decisions act on: the comparison, or its absolute comparison when the
     * relative lift is unreliable (never when that is missing).
     */
    static boolean decisive(AnalysisResult.Comparison c) {
        AnalysisResult.Comparison d = c.decision();
        return d.significant() && (d != c || c.status().reliable());
    }

    /** Larger is closer to significance: 1 − p, or the chance to win's distance from ½. */
    private static double strength(AnalysisResult.Comparison comparison) {
        AnalysisResult.Comparison c = comparison.decision();
        if (Double.isFinite(c.pValueAdjusted())) {
            return 1 - c.pValueAdjusted();
        }
        return Double.isFinite(c.chanceToWin()) ? Math.abs(c.chanceToWin() - 0.5) : 0;
    }

    private static long pairN(AnalysisResult r, AnalysisSpec a, String arm, ExperimentDefinition d) {
        String control = a.control() != null ? a.control() : d.arms().get(0).name();
        long n = 0;
        for (AnalysisResult.ArmSummary s : r.arms()) {
            if (s.name().equals(arm) || s.name().equals(control)) {
                n += s.n();
            }
        }
        return n;
    }

    private static String effect(AnalysisResult.Comparison c, boolean relative) {
        if (c.absolute() != null) {
            return "relative lift unreliable (control mean near 0): absolute difference "
                    + effect(c.absolute(), false).substring("lift ".length()) + "; relative " + effect(c, relative, false);
        }
        return effect(c, relative, true);
    }

    private static String effect(AnalysisResult.Comparison c, boolean relative, boolean withEvidence) {
        String lift = relative ? String.format(Locale.ROOT, "%+.2f%%", 100 * c.expected()) : num(c.expected());
        String interval = relative
                ? String.format(Locale.ROOT, "[%s, %s]", pct(c.ciLower()), pct(c.ciUpper()))
                : String.format(Locale.ROOT, "[%s, %s]", num(c.ciLower()), num(c.ciUpper()));
        String evidence = Double.isFinite(c.pValueAdjusted())
                ? "p = " + num(c.pValueAdjusted())
                : "chance to win " + String.format(Locale.ROOT, "%.1f%%", 100 * c.chanceToWin());
        return "lift " + lift + ", interval " + interval + (withEvidence ? ", " + evidence : "");
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.2f%%", 100 * v) : (v > 0 ? "+inf" : "-inf");
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : (v > 0 ? "+inf" : "-inf");
    }

    private static String users(AnalysisResult r) {
        StringBuilder b = new StringBuilder();
        for (AnalysisResult.ArmSummary s : r.arms()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(s.name()).append(' ').append(s.n());
        }
        return b.toString();
    }
}
