package io.liftstream.jobs.results;

import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.serde.SegmentEventParser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a Segment track event as an outcome: the same rules and dead-letter reasons as the trigger
 * job ({@link SegmentEventParser}), plus every finite numeric top-level property (so a metric can
 * sum any of them, e.g. {@code revenue}). Blank lines are skipped (null).
 */
public final class OutcomeParser implements LineParser {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SegmentEventParser parser = new SegmentEventParser();

    @Override
    public ResultsLine parse(String line) {
        if (SegmentEventParser.isBlank(line)) {
            return null;
        }
        ParsedLine parsed = parser.parse(line);
        if (!parsed.isValid()) {
            return ResultsLine.rejected(line, parsed.error);
        }
        return ResultsLine.of(line, ResultsInput.outcome(parsed.event.userId, parsed.event.timestamp, parsed.event.event,
                numericProperties(line)));
    }

    private static Map<String, Double> numericProperties(String line) {
        Map<String, Double> out = new TreeMap<>();
        if (!line.contains("\"properties\"")) {
            return out;
        }
        try {
            JsonNode properties = MAPPER.readTree(line).get("properties");
            if (properties != null && properties.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (f.getValue().isNumber() && Double.isFinite(f.getValue().asDouble())) {
                        out.put(f.getKey(), f.getValue().asDouble());
                    }
                }
            }
        } catch (JsonProcessingException e) {
            // Not reachable: the line was parsed already.
        }
        return out;
    }
}
