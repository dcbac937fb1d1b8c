package io.liftstream.experiments.results;

import io.liftstream.experiments.assignment.ExperimentDefinition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The metrics an experiment is measured by: the primary first, then the guardrails. */
public final class ExperimentMetrics {
    private ExperimentMetrics() {}

    /**
     * {@code analysis.primary}, else the {@code reward} (named "reward"), then {@code
     * analysis.guardrails}; empty when the definition names nothing to measure.
     */
    public static List<MetricSpec> of(ExperimentDefinition d) {
        AnalysisSpec a = d.analysisOrDefaults();
        MetricSpec primary = a.primary() != null ? a.primary()
                : d.reward() != null ? MetricSpec.fromReward(d.reward()) : null;
        if (primary == null) {
            return Collections.emptyList();
        }
        List<MetricSpec> out = new ArrayList<>(1 + a.guardrails().size());
        out.add(primary);
        out.addAll(a.guardrails());
        return out;
    }

    /** The longest attribution window of the experiment's metrics, in milliseconds (0 without metrics). */
    public static long maxWindowMillis(ExperimentDefinition d) {
        long max = 0;
        for (MetricSpec m : of(d)) {
            max = Math.max(max, m.window().toMillis());
        }
        return max;
    }
}
