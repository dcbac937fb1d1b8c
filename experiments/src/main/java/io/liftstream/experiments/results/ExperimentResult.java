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
 */
public record ExperimentResult(MetricSpec primaryMetric, AnalysisResult primary, List<Guardrail> guardrails,
        AnalysisResult holdout, long conflicts, Recommendation recommendation) {

    public record Guardrail(MetricSpec metric, AnalysisResult result) {}
}
