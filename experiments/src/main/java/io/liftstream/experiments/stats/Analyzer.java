package io.liftstream.experiments.stats;

import io.liftstream.experiments.stats.bayesian.BayesianRule;
import io.liftstream.experiments.stats.bayesian.EffectPrior;
import io.liftstream.experiments.stats.bayesian.GaussianEffectPosterior;
import io.liftstream.experiments.stats.cuped.CupedAdjustment;
import io.liftstream.experiments.stats.frequentist.WelchTTest;
import io.liftstream.experiments.stats.multiple.PValueAdjustment;
import io.liftstream.experiments.stats.sequential.ConfidenceSequence;
import io.liftstream.experiments.stats.sequential.GroupSequentialTest;
import io.liftstream.experiments.stats.sequential.GstPlan;
import io.liftstream.experiments.stats.sequential.MixtureSprt;
import io.liftstream.experiments.stats.srm.ChiSquareSrm;
import io.liftstream.experiments.stats.srm.SequentialSrm;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs one {@link AnalysisRequest}: CUPED adjustment when the arms carry a covariate, a ratio
 * metric's delta-method moments when they carry a denominator ({@link RatioStats}; an arm whose
 * denominators sum to 0 gives {@link Status#ZERO_DENOMINATOR}), one
 * comparison per treatment arm against control with the requested method, multiple-comparison
 * adjustment across the treatment arms, and both sample-ratio-mismatch checks. Pure and stateless:
 * the state an always-valid method needs (the previous p-value) comes in with the request.
 */
public final class Analyzer {
    /** Default mixing standard deviation of the mSPRT as a fraction of the control mean: 5%. */
    public static final double DEFAULT_TAU_FRACTION = 0.05;

    private Analyzer() {}

    public static AnalysisResult analyze(AnalysisRequest request) {
        List<ArmInput> arms = request.arms();
        int k = arms.size();
        List<ArmMoments> moments = new ArrayList<>(k);
        if (arms.get(0).cuped() != null) {
            List<CupedStats> cuped = arms.stream().map(ArmInput::cuped).toList();
            double theta = CupedAdjustment.theta(cuped);
            for (CupedStats c : cuped) {
                moments.add(CupedAdjustment.adjust(c, theta, request.metric()));
            }
        } else {
            for (ArmInput arm : arms) {
                moments.add(arm.ratio() != null ? arm.ratio().moments() : ArmMoments.of(arm.stats(), request.metric()));
            }
        }
        List<AnalysisResult.ArmSummary> summaries = new ArrayList<>(k);
        long[] counts = new long[k];
        for (int i = 0; i < k; i++) {
            ArmMoments m = moments.get(i);
            summaries.add(new AnalysisResult.ArmSummary(arms.get(i).name(), m.n(), m.mean(), m.variance()));
            counts[i] = m.n();
        }
        double srm = ChiSquareSrm.pValue(counts, request.weights());
        double sequentialSrm = SequentialSrm.pValue(counts, request.weights(), request.srmConcentration(),
                request.previousSequentialSrmPValue());

        int control = request.control();
        ArmMoments c = moments.get(control);
        List<AnalysisResult.Comparison> comparisons = new ArrayList<>(k - 1);
        String error = null;
        int t = 0;
        for (int i = 0; i < k; i++) {
            if (i == control) {
                continue;
            }
            AnalysisResult.Comparison comparison = RatioStats.undefined(arms.get(control), arms.get(i))
                    ? AnalysisResult.Comparison.failed(arms.get(i).name(), Status.ZERO_DENOMINATOR)
                    : compare(request, arms.get(i).name(), c, moments.get(i), t);
            t++;
            if (!comparison.status().ok() && error == null) {
                error = "arm '" + comparison.arm() + "': " + comparison.status().reason();
            }
            comparisons.add(comparison);
        }
        return new AnalysisResult(error, srm, sequentialSrm, summaries, adjust(comparisons, request));
    }

    /**
     * One comparison. When the relative lift is {@link Status#RELATIVE_LIFT_UNRELIABLE} (control mean
     * near 0, see {@link EffectEstimator#fiellerG}), its numbers are kept under that status and the
     * same method is also run on the absolute difference, which decisions use
     * ({@link AnalysisResult.Comparison#decision()}); see {@link AnalysisRequest#forAbsoluteDifference}.
     */
    private static AnalysisResult.Comparison compare(AnalysisRequest r, String name, ArmMoments control,
            ArmMoments treatment, int treatmentIndex) {
        Effect effect = EffectEstimator.estimate(control, treatment, r.relative());
        AnalysisResult.Comparison c = compare(r, name, control, treatment, treatmentIndex, effect);
        if (effect.status() != Status.RELATIVE_LIFT_UNRELIABLE || !c.status().ok()) {
            return c;
        }
        AnalysisRequest absolute = r.forAbsoluteDifference(control.unadjustedMean(), treatment.unadjustedMean());
        AnalysisResult.Comparison abs = compare(absolute, name, control, treatment, treatmentIndex,
                EffectEstimator.estimate(control, treatment, false));
        return c.withAbsolute(Status.RELATIVE_LIFT_UNRELIABLE, abs.status().ok() ? abs : null);
    }

    private static AnalysisResult.Comparison compare(AnalysisRequest r, String name, ArmMoments control,
            ArmMoments treatment, int treatmentIndex, Effect effect) {
        if (!effect.ok()) {
            return AnalysisResult.Comparison.failed(name, effect.status());
        }
        double alpha = r.alpha();
        if (r.method() == Method.BAYESIAN) {
            // GrowthBook's rule (BayesianRule): chance to win beyond confidence_level and risk within
            // win_risk; the credible interval spans the (1 − c, c) posterior quantiles.
            double m = Math.abs(control.unadjustedMean());
            EffectPrior prior = r.prior().forLift(r.relative(), control.unadjustedMean());
            if (prior == null) {
                return AnalysisResult.Comparison.failed(name, Status.ZERO_CONTROL_MEAN);
            }
            GaussianEffectPosterior.Posterior post = GaussianEffectPosterior.posterior(effect, prior,
                    BayesianRule.intervalAlpha(r.confidenceLevel()));
            double ctw = post.chanceToWin();
            boolean significant = BayesianRule.significant(post, r.sides(), r.confidenceLevel(), r.winRisk(),
                    r.relative() || m == 0 ? 1.0 : m);
            return checked(new AnalysisResult.Comparison(name, Status.OK, post.mean(), post.sd(), post.ciLower(),
                    post.ciUpper(), Double.NaN, Double.NaN, ctw, post.riskControl(), post.riskTreatment(), significant));
        }
        Inference inference = switch (r.method()) {
            case FIXED -> WelchTTest.test(effect, r.sides(), alpha);
            case SEQUENTIAL -> {
                Inference s = ConfidenceSequence.test(effect, r.sides(), alpha, r.sequential());
                double p = Math.min(s.pValue(), r.previousPValues()[treatmentIndex]);
                yield new Inference(p, s.ciLower(), s.ciUpper(), p <= alpha);
            }
            case MSPRT -> MixtureSprt.test(effect, r.sides(), alpha, tau2(r, control),
                    r.previousPValues()[treatmentIndex]);
            // Bonferroni-split spending: each of the k − 1 comparisons with the shared control
            // spends α/(k − 1), so the family-wise error of `significant` is at most α.
            case GST -> GroupSequentialTest.test(effect, r.sides(), GroupSequentialTest.perComparisonAlpha(alpha,
                    r.arms().size() - 1), GstPlan.withCurrent(r.gstMaxN(), r.gstLooks(), effect.totalN()));
            default -> throw new IllegalStateException("unhandled method " + r.method());
        };
        return checked(new AnalysisResult.Comparison(name, Status.OK, effect.estimate(), effect.se(),
                inference.ciLower(), inference.ciUpper(), inference.pValue(), inference.pValue(), Double.NaN,
                Double.NaN, Double.NaN, inference.significant()));
    }

    /**
     * The mSPRT's τ²: the request's, or the default (5% of the control mean)² on the lift's scale,
     * i.e. 0.0025 for a relative lift. The absolute default depends on the control mean observed,
     * which moves a little between looks; set {@code msprt_tau2} for a fixed τ.
     */
    public static double defaultTau2(boolean relative, double controlMean) {
        double tau = DEFAULT_TAU_FRACTION * (relative ? 1.0 : Math.abs(controlMean));
        return tau * tau;
    }

    private static double tau2(AnalysisRequest r, ArmMoments control) {
        if (r.msprtTau2() != null) {
            return r.msprtTau2();
        }
        double tau2 = defaultTau2(r.relative(), control.unadjustedMean());
        return tau2 > 0 ? tau2 : 1e-12;
    }

    /** A computed comparison whose numbers overflowed is reported as such, never with NaN. */
    private static AnalysisResult.Comparison checked(AnalysisResult.Comparison c) {
        boolean bad = !Double.isFinite(c.expected()) || !Double.isFinite(c.se()) || Double.isNaN(c.ciLower())
                || Double.isNaN(c.ciUpper());
        return bad ? AnalysisResult.Comparison.failed(c.arm(), Status.NUMERIC_OVERFLOW) : c;
    }

    /**
     * Holm or Benjamini–Hochberg across the treatment arms. For the p-value methods (fixed,
     * sequential, msprt) {@code significant} then means adjusted p ≤ α, so it stays safe with many
     * arms; for gst it is the boundary crossing at the Bonferroni-split level α/(k − 1) (the
     * family-wise error is controlled by the spending, the adjusted p is for display), and for
     * bayesian (posterior) it keeps its per-comparison meaning.
     */
    private static List<AnalysisResult.Comparison> adjust(List<AnalysisResult.Comparison> comparisons,
            AnalysisRequest request) {
        PValueCorrection correction = request.correction();
        if (comparisons.isEmpty() || Double.isNaN(comparisons.get(0).pValue()) && comparisons.stream()
                .allMatch(c -> Double.isNaN(c.pValue()))) {
            return comparisons;
        }
        double[] p = new double[comparisons.size()];
        for (int i = 0; i < p.length; i++) {
            double v = comparisons.get(i).pValue();
            p[i] = Double.isNaN(v) ? 1.0 : v;
        }
        double[] adjusted = correction == PValueCorrection.BENJAMINI_HOCHBERG
                ? PValueAdjustment.benjaminiHochberg(p) : PValueAdjustment.holm(p);
        List<AnalysisResult.Comparison> out = new ArrayList<>(comparisons.size());
        for (int i = 0; i < p.length; i++) {
            AnalysisResult.Comparison c = comparisons.get(i);
            boolean byP = request.method() != Method.GST;
            boolean significant = byP ? adjusted[i] <= request.alpha() : c.significant();
            out.add(c.status().ok() ? c.withAdjusted(adjusted[i], significant) : c);
        }
        return adjustAbsolute(out, p, request);
    }

    /**
     * The absolute comparisons that decisions use for arms with an unreliable relative lift are
     * adjusted in the family of decisions: their p-value in place of the relative one.
     */
    private static List<AnalysisResult.Comparison> adjustAbsolute(List<AnalysisResult.Comparison> comparisons,
            double[] p, AnalysisRequest request) {
        if (comparisons.stream().allMatch(c -> c.absolute() == null)) {
            return comparisons;
        }
        double[] q = p.clone();
        for (int i = 0; i < q.length; i++) {
            AnalysisResult.Comparison a = comparisons.get(i).absolute();
            if (a != null) {
                q[i] = Double.isNaN(a.pValue()) ? 1.0 : a.pValue();
            }
        }
        double[] adjusted = request.correction() == PValueCorrection.BENJAMINI_HOCHBERG
                ? PValueAdjustment.benjaminiHochberg(q) : PValueAdjustment.holm(q);
        List<AnalysisResult.Comparison> out = new ArrayList<>(comparisons.size());
        for (int i = 0; i < q.length; i++) {
            AnalysisResult.Comparison c = comparisons.get(i);
            AnalysisResult.Comparison a = c.absolute();
            if (a == null) {
                out.add(c);
                continue;
            }
            boolean significant = request.method() != Method.GST ? adjusted[i] <= request.alpha() : a.significant();
            out.add(c.withAbsolute(c.status(), a.withAdjusted(adjusted[i], significant)));
        }
        return out;
    }
}
