package io.liftstream.jobs.results;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.results.ExperimentMetrics;
import io.liftstream.experiments.results.MetricSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsed definitions by their JSON, so an operator parses each version once. Not state: a cache,
 * rebuilt after a restore. Bounded: cleared when it grows past {@value #MAX}.
 */
final class ParsedDefinitions {
    static final int MAX = 10_000;

    /** A definition with its metrics resolved. */
    record Parsed(ExperimentDefinition definition, List<MetricSpec> metrics, long maxWindowMillis) {}

    private final Map<String, Parsed> cache = new HashMap<>();

    Parsed get(DefinitionVersion v) {
        Parsed p = cache.get(v.json);
        if (p == null) {
            if (cache.size() >= MAX) {
                cache.clear();
            }
            ExperimentDefinition d = DefinitionParser.definition(v);
            p = new Parsed(d, ExperimentMetrics.of(d), ExperimentMetrics.maxWindowMillis(d));
            cache.put(v.json, p);
        }
        return p;
    }
}
