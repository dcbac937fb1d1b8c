package io.liftstream.jobs.results;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.jobs.experiments.ExperimentDefinitionJson;
import io.liftstream.jobs.serde.SegmentEventParser;

/**
 * Reads an experiment definition (the changelog the decision job reads). A definition that does not
 * validate is refused with {@code invalid_definition: <why>}; its previous version stays in force.
 * Blank lines are skipped (null).
 */
public final class DefinitionParser implements LineParser {
    private static final long serialVersionUID = 1L;

    @Override
    public ResultsLine parse(String line) {
        if (SegmentEventParser.isBlank(line)) {
            return null;
        }
        ExperimentDefinition d;
        try {
            d = ExperimentDefinitionJson.parse(line);
        } catch (IllegalArgumentException e) {
            return ResultsLine.rejected(line, "invalid_definition: " + e.getMessage());
        }
        Long time = d.timestamp() == null ? null : d.timestamp().toEpochMilli();
        return ResultsLine.of(line, new DefinitionVersion(d.experimentId(), Long.MIN_VALUE, line), time);
    }

    /** Parses a version's JSON (it validated when it was read). */
    public static ExperimentDefinition definition(DefinitionVersion v) {
        return ExperimentDefinitionJson.parse(v.json);
    }
}
