package io.liftstream.experiments.results;

import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.bayesian.EffectPrior;
import io.liftstream.experiments.stats.sequential.SequentialConfig;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How an experiment's results are analysed (the {@code analysis} object of a definition): the
 * method and its settings, the control arm, the primary metric and the guardrails. Null settings
 * take the defaults of {@code ./liftstream analyze}.
 *
 * @param control the control arm's name, or null for the first arm
 * @param primary the primary metric, or null for the experiment's {@code reward}
 * @param gstMaxN planned maximum total sample size of a control–treatment pair; required (positive)
 *     for {@link Method#GST}, else 0
 * @param msprtTau2 the mSPRT mixing variance, or null for the default of {@code analyze}
 * @param prior bayesian only: the prior on the relative lift ({@code prior_proper}, {@code prior_mean},
 *     {@code prior_stddev}, GrowthBook's metric prior settings); null: flat
 * @param confidenceLevel bayesian only: the chance-to-win threshold ({@code confidence_level}); null: 1 − α
 * @param winRisk bayesian only: the risk threshold ({@code win_risk}); null: 0.0025
 */
public record AnalysisSpec(Method method, double alpha, boolean relative, Sides sides, double sequentialTuning,
        Double msprtTau2, long gstMaxN, String control, MetricSpec primary, List<MetricSpec> guardrails,
        EffectPrior prior, Double confidenceLevel, Double winRisk) {

    /** Without Bayesian settings (their defaults). */
    public AnalysisSpec(Method method, double alpha, boolean relative, Sides sides, double sequentialTuning,
            Double msprtTau2, long gstMaxN, String control, MetricSpec primary, List<MetricSpec> guardrails) {
        this(method, alpha, relative, sides, sequentialTuning, msprtTau2, gstMaxN, control, primary, guardrails,
                null, null, null);
    }

    public static final Method DEFAULT_METHOD = Method.SEQUENTIAL;

    /** The prior the analysis uses: the spec's, or flat. */
    public EffectPrior priorOrFlat() {
        return prior != null ? prior : EffectPrior.FLAT;
    }

    /** Every default: sequential, α 0.05, relative lift, two-sided, tuning 5000, the reward as primary. */
    public static final AnalysisSpec DEFAULTS = new AnalysisSpec(null, AnalysisRequest.DEFAULT_ALPHA, true, null,
            SequentialConfig.DEFAULT_TUNING, null, 0, null, null, List.of());

    public AnalysisSpec {
        method = method == null ? DEFAULT_METHOD : method;
        sides = sides == null ? Sides.TWO : sides;
        guardrails = guardrails == null ? List.of() : List.copyOf(guardrails);
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("analysis.alpha must be in (0, 1), was " + alpha);
        }
        if (!(sequentialTuning > 0) || !Double.isFinite(sequentialTuning)) {
            throw new IllegalArgumentException("analysis.sequential_tuning must be positive, was " + sequentialTuning);
        }
        if (msprtTau2 != null && !(msprtTau2 > 0 && Double.isFinite(msprtTau2))) {
            throw new IllegalArgumentException("analysis.msprt_tau2 must be positive, was " + msprtTau2);
        }
        if (gstMaxN < 0) {
            throw new IllegalArgumentException("analysis.gst_max_n must be positive, was " + gstMaxN);
        }
        if (method != Method.BAYESIAN && (prior != null || confidenceLevel != null || winRisk != null)) {
            throw new IllegalArgumentException(
                    "analysis.prior_proper, prior_mean, prior_stddev, confidence_level and win_risk apply to method bayesian only");
        }
        if (confidenceLevel != null && !(confidenceLevel > 0.5 && confidenceLevel < 1)) {
            throw new IllegalArgumentException("analysis.confidence_level must be in (0.5, 1), was " + confidenceLevel);
        }
        if (winRisk != null && !(winRisk >= 0 && Double.isFinite(winRisk))) {
            throw new IllegalArgumentException("analysis.win_risk must be a non-negative number, was " + winRisk);
        }
        if (method == Method.GST && gstMaxN == 0) {
            throw new IllegalArgumentException("analysis.gst_max_n is required when analysis.method is gst");
        }
        Set<String> names = new HashSet<>();
        names.add(primary != null ? primary.name() : MetricSpec.REWARD_NAME);
        for (MetricSpec g : guardrails) {
            if (!names.add(g.name())) {
                throw new IllegalArgumentException("analysis: metric names must be unique, '" + g.name() + "' repeats");
            }
        }
    }
}
