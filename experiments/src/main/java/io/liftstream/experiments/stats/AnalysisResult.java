package io.liftstream.experiments.stats;

import java.util.List;

/**
 * The answer to an {@link AnalysisRequest}.
 *
 * @param error null when every comparison has numbers; otherwise the reason (the comparisons that
 *     could be computed are still reported)
 */
public record AnalysisResult(String error, double srmPValue, double sequentialSrmPValue, List<ArmSummary> arms,
        List<Comparison> comparisons) {

    public boolean ok() {
        return error == null;
    }

    /** What the analysis saw of one arm (after CUPED, mean and variance are the adjusted ones). */
    public record ArmSummary(String name, long n, double mean, double variance) {}

    /**
     * One treatment arm against control. Numbers are present when {@code status} is OK.
     * Bayesian-only fields ({@code chanceToWin}, risks) are NaN for the frequentist methods and
     * p-values are NaN for the Bayesian one; the JSON codec writes them as null.
     *
     * @param riskControl expected loss of keeping control, E max(lift, 0)
     * @param riskTreatment expected loss of shipping the treatment, E max(−lift, 0)
     * @param absolute null, except when {@code status} is {@link Status#RELATIVE_LIFT_UNRELIABLE}:
     *     the same comparison on the absolute difference, which decisions use instead
     */
    public record Comparison(String arm, Status status, double expected, double se, double ciLower, double ciUpper,
            double pValue, double pValueAdjusted, double chanceToWin, double riskControl, double riskTreatment,
            boolean significant, Comparison absolute) {

        public Comparison(String arm, Status status, double expected, double se, double ciLower, double ciUpper,
                double pValue, double pValueAdjusted, double chanceToWin, double riskControl, double riskTreatment,
                boolean significant) {
            this(arm, status, expected, se, ciLower, ciUpper, pValue, pValueAdjusted, chanceToWin, riskControl,
                    riskTreatment, significant, null);
        }

        /** What a decision acts on: the absolute comparison when the relative lift is unreliable, else this. */
        public Comparison decision() {
            return absolute != null ? absolute : this;
        }

        /** This comparison with a caveat status and the absolute comparison decisions use. */
        Comparison withAbsolute(Status caveat, Comparison abs) {
            return new Comparison(arm, caveat, expected, se, ciLower, ciUpper, pValue, pValueAdjusted, chanceToWin,
                    riskControl, riskTreatment, significant, abs);
        }

        public static Comparison failed(String arm, Status status) {
            return new Comparison(arm, status, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, false);
        }

        Comparison withAdjusted(double adjusted, boolean significant) {
            return new Comparison(arm, status, expected, se, ciLower, ciUpper, pValue, adjusted, chanceToWin,
                    riskControl, riskTreatment, significant, absolute);
        }
    }
}
