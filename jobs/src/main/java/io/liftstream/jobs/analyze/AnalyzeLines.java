package io.liftstream.jobs.analyze;

import io.liftstream.jobs.serde.JsonErrors;
import io.liftstream.experiments.results.AlwaysValidLooks;
import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code analyze} loop: one JSON object per input line in, one result line out, in order. A
 * line that cannot be read or analysed yields an error line with the reason, echoing its id when it
 * has one; the batch never stops. No Flink involved.
 */
public final class AnalyzeLines {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private AnalyzeLines() {}

    /** Lines read and lines answered with an error. */
    public record Summary(long lines, long errors) {}

    public static Summary run(BufferedReader in, Writer out) throws IOException {
        long lines = 0;
        long errors = 0;
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setRootValueSeparator(null);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            // Flush the generator's buffer into the writer per line, but not the writer itself.
            g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            String line;
            while ((line = in.readLine()) != null) {
                lines++;
                if (!analyzeLine(g, line)) {
                    errors++;
                }
                g.flush();
                out.write('\n');
            }
            g.flush();
        }
        out.flush();
        return new Summary(lines, errors);
    }

    /** Writes the answer to one line; false when it is an error line. */
    static boolean analyzeLine(JsonGenerator g, String line) throws IOException {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            AnalyzeResultCodec.writeError(g, null, "not valid JSON: " + JsonErrors.describe(e));
            return false;
        }
        if (node == null || node.isMissingNode()) {
            AnalyzeResultCodec.writeError(g, null, "empty line");
            return false;
        }
        JsonNode id = node.isObject() ? node.get("id") : null;
        AnalysisRequest request;
        try {
            request = AnalyzeRequestCodec.read(node);
        } catch (IllegalArgumentException e) {
            AnalyzeResultCodec.writeError(g, id, e.getMessage());
            return false;
        }
        AnalysisResult result;
        try {
            result = Analyzer.analyze(request);
        } catch (IllegalArgumentException e) {
            // Inconsistencies only visible with the numbers, e.g. a current n below the last gst look.
            AnalyzeResultCodec.writeError(g, id, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            // Never abort the batch; but say it is a bug, not the line's fault.
            AnalyzeResultCodec.writeError(g, id, "internal error: " + e);
            return false;
        }
        result = withPreviousInterval(node, request, result);
        AnalyzeResultCodec.write(g, id, result);
        return result.ok();
    }

    /**
     * With {@code previous_interval}: the comparison's interval intersected with the previous
     * look's, so p-value, interval and significant agree (as in the results job's records; an
     * empty intersection is the status {@code LOOKS_DISAGREE}). Else the result unchanged.
     */
    static AnalysisResult withPreviousInterval(JsonNode node, AnalysisRequest request, AnalysisResult result) {
        double[] previous = AnalyzeRequestCodec.previousInterval(node, request);
        if (previous == null || result.comparisons().isEmpty()) {
            return result;
        }
        Map<String, double[]> intervals = new HashMap<>();
        intervals.put("previous", previous);
        AnalysisResult.Comparison c = AlwaysValidLooks.intersect(result.comparisons().get(0), intervals, "previous", 1);
        String error = result.error() != null || c.status().ok() ? result.error()
                : "arm '" + c.arm() + "': " + c.status().reason();
        return new AnalysisResult(error, result.srmPValue(), result.sequentialSrmPValue(), result.arms(), List.of(c));
    }
}
