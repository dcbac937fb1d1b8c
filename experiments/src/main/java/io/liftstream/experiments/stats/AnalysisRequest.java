package io.liftstream.experiments.stats;

import io.liftstream.experiments.stats.bayesian.BayesianRule;
import io.liftstream.experiments.stats.bayesian.EffectPrior;
import io.liftstream.experiments.stats.sequential.SequentialConfig;
import io.liftstream.experiments.stats.srm.SequentialSrm;

import java.util.Arrays;
import java.util.List;

/**
 * One analysis: arms with their sufficient statistics, the method and its settings. Built with
 * {@link #builder()}, which holds the named defaults and validates.
 *
 * @param previousPValues per treatment arm (arms other than control, in order), the p-value of the
 *     previous look for the always-valid methods (1 at the first look)
 * @param msprtTau2 mixing variance τ² on the lift's scale, or null for the default (see
 *     {@link Analyzer#defaultTau2})
 * @param gstMaxN planned maximum total sample size for {@link Method#GST}, else 0
 * @param gstLooks total sample sizes of the earlier looks (the current total is appended)
 * @param prior prior of the lift for {@link Method#BAYESIAN}
 * @param confidenceLevel {@link Method#BAYESIAN}: the chance to win beyond which (or below 1 − which)
 *     a comparison is decisive (GrowthBook's {@code confidenceLevel}; default 1 − α = 0.95)
 * @param winRisk {@link Method#BAYESIAN}: the largest expected loss, as a relative lift, of the
 *     decision (GrowthBook's {@code winRisk}; default {@value BayesianRule#DEFAULT_WIN_RISK})
 */
public record AnalysisRequest(MetricType metric, Method method, boolean relative, double alpha, Sides sides,
        SequentialConfig sequential, Double msprtTau2, double[] previousPValues, long gstMaxN, long[] gstLooks,
        EffectPrior prior, int control, double[] weights, List<ArmInput> arms, PValueCorrection correction,
        double previousSequentialSrmPValue, double srmConcentration, double confidenceLevel, double winRisk) {

    public static final double DEFAULT_ALPHA = 0.05;

    public AnalysisRequest {
        arms = List.copyOf(arms);
        weights = weights.clone();
        previousPValues = previousPValues.clone();
        gstLooks = gstLooks.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int treatments() {
        return arms.size() - 1;
    }

    /**
     * This request on the absolute difference, for a comparison whose relative lift is unreliable
     * (control mean near 0): the absolute lift; a flat prior (a prior on the relative lift rescaled
     * by a control mean near 0 would pin the difference to 0); no memory of earlier looks (the
     * previous p-values belong to the relative comparison; one look of a confidence sequence or an
     * mSPRT is valid on its own); the mSPRT's τ² on the absolute scale: the request's (relative)
     * τ², or the default 5 %, times the larger of the two arms' means squared (the control mean is
     * the one near 0).
     */
    public AnalysisRequest forAbsoluteDifference(double controlMean, double treatmentMean) {
        double scale = Math.max(Math.abs(controlMean), Math.abs(treatmentMean));
        double tau = Analyzer.DEFAULT_TAU_FRACTION;
        double relativeTau2 = msprtTau2 != null && relative ? msprtTau2 : tau * tau;
        Double tau2 = msprtTau2 != null && !relative ? msprtTau2 : Double.valueOf(Math.max(relativeTau2 * scale * scale, 1e-12));
        double[] fresh = new double[previousPValues.length];
        Arrays.fill(fresh, 1.0);
        return new AnalysisRequest(metric, method, false, alpha, sides, sequential, tau2, fresh, gstMaxN, gstLooks,
                EffectPrior.FLAT, control, weights, arms, correction, previousSequentialSrmPValue, srmConcentration,
                confidenceLevel, winRisk);
    }

    /** Builder with the defaults of the {@code analyze} contract. */
    public static final class Builder {
        private MetricType metric;
        private Method method;
        private boolean relative = true;
        private double alpha = DEFAULT_ALPHA;
        private Sides sides = Sides.TWO;
        private double tuning = SequentialConfig.DEFAULT_TUNING;
        private Double msprtTau2;
        private double[] previousPValues;
        private long gstMaxN;
        private long[] gstLooks = new long[0];
        private boolean gstGiven;
        private EffectPrior prior = EffectPrior.FLAT;
        private String controlName;
        private double[] weights;
        private List<ArmInput> arms = List.of();
        private PValueCorrection correction = PValueCorrection.HOLM;
        private double previousSequentialSrm = 1.0;
        private double srmConcentration = SequentialSrm.DEFAULT_CONCENTRATION;
        private Double confidenceLevel;
        private Double winRisk;

        public Builder metric(MetricType v) { metric = v; return this; }
        public Builder method(Method v) { method = v; return this; }
        public Builder relative(boolean v) { relative = v; return this; }
        public Builder alpha(double v) { alpha = v; return this; }
        public Builder sides(Sides v) { sides = v; return this; }
        public Builder sequentialTuning(double v) { tuning = v; return this; }
        public Builder msprtTau2(Double v) { msprtTau2 = v; return this; }
        public Builder previousPValue(double v) { previousPValues = new double[] {v}; return this; }
        public Builder previousPValues(double[] v) { previousPValues = v.clone(); return this; }
        public Builder gst(long maxN, long[] looks) { gstMaxN = maxN; gstLooks = looks.clone(); gstGiven = true; return this; }
        public Builder prior(EffectPrior v) { prior = v; return this; }
        public Builder control(String name) { controlName = name; return this; }
        public Builder weights(double[] v) { weights = v == null ? null : v.clone(); return this; }
        public Builder arms(List<ArmInput> v) { arms = List.copyOf(v); return this; }
        public Builder correction(PValueCorrection v) { correction = v; return this; }
        public Builder previousSequentialSrmPValue(double v) { previousSequentialSrm = v; return this; }
        public Builder srmConcentration(double v) { srmConcentration = v; return this; }
        /** Chance-to-win threshold of {@link Method#BAYESIAN}; null: 1 − α. */
        public Builder confidenceLevel(Double v) { confidenceLevel = v; return this; }
        /** Risk threshold of {@link Method#BAYESIAN}; null: {@value BayesianRule#DEFAULT_WIN_RISK}. */
        public Builder winRisk(Double v) { winRisk = v; return this; }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public AnalysisRequest build() {
            require(metric != null, "metric is required");
            require(method != null, "method is required");
            require(arms.size() >= 2, "at least two arms are required (control and a treatment)");
            require(alpha > 0 && alpha < 1, "alpha must be in (0, 1), was " + alpha);
            SequentialConfig sequential = new SequentialConfig(tuning);
            if (msprtTau2 != null) {
                require(msprtTau2 > 0 && Double.isFinite(msprtTau2), "msprt_tau2 must be positive, was " + msprtTau2);
            }
            int control = 0;
            if (controlName != null) {
                control = -1;
                for (int i = 0; i < arms.size(); i++) {
                    if (arms.get(i).name().equals(controlName)) {
                        control = i;
                    }
                }
                require(control >= 0, "control arm '" + controlName + "' is not among the arms");
            }
            boolean anyRatio = arms.stream().anyMatch(a -> a.ratio() != null);
            require(!anyRatio || metric == MetricType.MEAN, "a ratio metric's numerator and denominator are means");
            java.util.Set<String> names = new java.util.HashSet<>();
            for (ArmInput arm : arms) {
                require(arm.name() != null && !arm.name().isEmpty(), "every arm needs a name");
                require(names.add(arm.name()), "arm names must be unique: '" + arm.name() + "' repeats");
                validate(arm);
            }
            boolean anyCuped = arms.stream().anyMatch(a -> a.cuped() != null);
            require(!anyCuped || arms.stream().allMatch(a -> a.cuped() != null),
                    "CUPED needs pre and sum_product on every arm or on none");
            require(!anyRatio || arms.stream().allMatch(a -> a.ratio() != null),
                    "a ratio metric needs a denominator on every arm or on none");
            require(!anyRatio || !anyCuped, "CUPED is not supported for ratio metrics");
            double[] w = weights;
            if (w == null) {
                w = new double[arms.size()];
                Arrays.fill(w, 1.0);
            }
            require(w.length == arms.size(), "weights must have one entry per arm (" + arms.size() + "), had " + w.length);
            double total = 0;
            for (double x : w) {
                require(x >= 0 && Double.isFinite(x), "weights must be non-negative numbers");
                total += x;
            }
            require(total > 0, "weights must not all be 0");
            int treatments = arms.size() - 1;
            double[] previous = previousPValues;
            if (previous == null) {
                previous = new double[treatments];
                Arrays.fill(previous, 1.0);
            } else if (previous.length == 1 && treatments > 1) {
                double v = previous[0];
                previous = new double[treatments];
                Arrays.fill(previous, v);
            }
            require(previous.length == treatments, "previous_p_value must be one number or one per treatment arm");
            for (double p : previous) {
                require(p >= 0 && p <= 1, "previous_p_value must be in [0, 1], was " + p);
            }
            require(previousSequentialSrm >= 0 && previousSequentialSrm <= 1,
                    "previous_sequential_srm_p_value must be in [0, 1]");
            require(srmConcentration > 0, "srm concentration must be positive");
            if (method == Method.GST) {
                require(gstGiven, "method gst needs gst.max_n");
                require(gstMaxN > 0, "gst.max_n must be positive");
                for (int i = 0; i < gstLooks.length; i++) {
                    require(gstLooks[i] > 0, "gst.looks_n must be positive");
                    require(i == 0 || gstLooks[i] > gstLooks[i - 1], "gst.looks_n must increase strictly");
                }
            }
            double level = confidenceLevel != null ? confidenceLevel : 1 - alpha;
            if (method == Method.BAYESIAN || confidenceLevel != null) {
                require(level > 0.5 && level < 1, "confidence_level must be in (0.5, 1), was " + level);
            }
            double risk = winRisk != null ? winRisk : BayesianRule.DEFAULT_WIN_RISK;
            require(risk >= 0 && Double.isFinite(risk), "win_risk must be a non-negative number, was " + risk);
            require(prior != null, "prior must not be null");
            return new AnalysisRequest(metric, method, relative, alpha, sides, sequential, msprtTau2, previous,
                    gstMaxN, gstLooks, prior, control, w, arms, correction, previousSequentialSrm, srmConcentration,
                    level, risk);
        }

        private void validate(ArmInput arm) {
            SampleStats s = arm.stats();
            String name = "arm '" + arm.name() + "': ";
            require(s.n() >= 0, name + "n must be non-negative");
            require(Double.isFinite(s.sum()) && Double.isFinite(s.sumSquares()), name + "sum and sum_squares must be finite numbers");
            if (arm.ratio() != null) {
                RatioStats r = arm.ratio();
                require(Double.isFinite(r.denominator().sum()) && Double.isFinite(r.denominator().sumSquares())
                        && Double.isFinite(r.sumProduct()), name + "the denominator's sums must be finite numbers");
            }
            if (metric == MetricType.PROPORTION) {
                require(s.sum() >= 0 && s.sum() <= s.n(), name + "a proportion's sum must be between 0 and n");
            } else {
                require(s.sumSquares() >= 0, name + "sum_squares must be non-negative");
            }
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
