package io.liftstream.jobs.analyze;

import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The {@code analyze} contract for callers other than the command (the SQL functions): one input
 * object in, the exact output line {@code analyze} would write out, through the same codecs and
 * {@link io.liftstream.experiments.stats.Analyzer}.
 */
public final class AnalyzeJson {
    private static final JsonFactory FACTORY = new ObjectMapper().getFactory();

    private AnalyzeJson() {}

    /** The request an input object describes; an {@link IllegalArgumentException} names what is wrong. */
    public static AnalysisRequest request(JsonNode input) {
        return AnalyzeRequestCodec.read(input);
    }

    /** What {@code analyze} answers for an input object (with {@code previous_interval} applied). */
    public static AnalysisResult analyze(JsonNode input) {
        AnalysisRequest request = AnalyzeRequestCodec.read(input);
        return AnalyzeLines.withPreviousInterval(input, request, Analyzer.analyze(request));
    }

    /** The output line (without newline) {@code analyze} writes for this input line. */
    public static String answer(String line) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            AnalyzeLines.analyzeLine(g, line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
