package io.liftstream.experiments.results;

import io.liftstream.experiments.stats.AnalysisResult;

import java.util.List;

/**
 * One result of a running experiment.
 *
 * @param primary the analysis of the primary metric over the treated arms, with the sequential SRM
 *     check against the weights in force (null when the experiment has no metric)
 * @param guardrails one analysis per guardrail metric, in the definition's order
 * @param holdout the holdout group (control) against all treated users pooled, on the primary
 *     metric; null when the experiment has no holdout
 * @param conflicts users exposed to more than one arm (or to the holdout and an arm)
 * @param phase the number of the current (latest) {@link Phases phase}: phases with users counted
 *     from 1 in the order they started
 * @param phasesCombined how many phases the primary comparison combined (phases where an arm has
 *     fewer than 2 users are left out; 0 when none qualifies yet)
 */
public record ExperimentResult(MetricSpec primaryMetric, AnalysisResult primary, List<Guardrail> guardrails,
        AnalysisResult holdout, long conflicts, Recommendation recommendation, int phase, int phasesCombined) {

    /** A result of an experiment with one phase. */
    public ExperimentResult(MetricSpec primaryMetric, AnalysisResult primary, List<Guardrail> guardrails,
            AnalysisResult holdout, long conflicts, Recommendation recommendation) {
        this(primaryMetric, primary, guardrails, holdout, conflicts, recommendation, 1, 1);
    }

    public record Guardrail(MetricSpec metric, AnalysisResult result) {}
}
