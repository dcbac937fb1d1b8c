package io.liftstream.jobs.results;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.results.ExperimentResult;
import io.liftstream.experiments.results.MetricSpec;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.jobs.analyze.AnalyzeResultCodec;
import io.liftstream.jobs.serde.JsonLines;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * A result record: the JSON {@code ./liftstream analyze} writes for the primary metric ({@code id}
 * is the experiment id), then {@code experiment_id, as_of, sequence, experiment_status, method,
 * phase, phases_combined, metric, exposure_conflicts, holdout, guardrails, recommendation, reason}.
 * {@code phase} is the number of the current phase (phases with users, from 1, in the order they
 * started: a change of weights, coverage or holdout starts one), {@code phases_combined} how many
 * phases the primary comparison combined. Fields always in this order; numbers that do not exist
 * are null. A metric object also carries {@code cap}, {@code cuped} and {@code denominator} when the metric has them,
 * as in the definition.
 */
public final class ResultsJson {
    private ResultsJson() {}

    private static final JsonFactory FACTORY = new JsonFactory();

    public static String write(String experimentId, long asOf, long sequence, ExperimentDefinition d, ExperimentResult r) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("id", experimentId);
            if (r.primary() != null) {
                AnalyzeResultCodec.writeFields(g, r.primary());
            } else {
                AnalyzeResultCodec.writeErrorFields(g, r.recommendation().reason());
            }
            g.writeStringField("experiment_id", experimentId);
            g.writeStringField("as_of", JsonLines.instant(asOf));
            g.writeNumberField("sequence", sequence);
            g.writeStringField("experiment_status", d.status().wireName);
            g.writeStringField("method", d.analysisOrDefaults().method().name().toLowerCase(Locale.ROOT));
            g.writeNumberField("phase", r.phase());
            g.writeNumberField("phases_combined", r.phasesCombined());
            if (r.primaryMetric() != null) {
                metric(g, "metric", r.primaryMetric());
            } else {
                g.writeNullField("metric");
            }
            g.writeNumberField("exposure_conflicts", r.conflicts());
            if (r.holdout() != null) {
                g.writeObjectFieldStart("holdout");
                AnalyzeResultCodec.writeFields(g, r.holdout());
                g.writeEndObject();
            } else {
                g.writeNullField("holdout");
            }
            g.writeArrayFieldStart("guardrails");
            for (ExperimentResult.Guardrail guardrail : r.guardrails()) {
                g.writeStartObject();
                metric(g, "metric", guardrail.metric());
                AnalysisResult a = guardrail.result();
                AnalyzeResultCodec.writeFields(g, a);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("recommendation", r.recommendation().action());
            g.writeStringField("reason", r.recommendation().reason());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void metric(JsonGenerator g, String field, MetricSpec m) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("name", m.name());
        g.writeStringField("event", m.event());
        g.writeStringField("value", m.value());
        g.writeStringField("window", m.window().toString());
        g.writeStringField("desired", m.desired().wireName);
        if (m.cap() != null) {
            com.fasterxml.jackson.databind.node.ObjectNode cap = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            io.liftstream.jobs.experiments.CappingJson.write(m.cap(), cap);
            g.writeFieldName("cap");
            g.writeRawValue(cap.toString());
        }
        if (m.cupedLookback() != null) {
            g.writeObjectFieldStart("cuped");
            g.writeStringField("lookback", m.cupedLookback().toString());
            g.writeEndObject();
        }
        if (m.denominator() != null) {
            g.writeObjectFieldStart("denominator");
            g.writeStringField("event", m.denominator().event());
            g.writeStringField("value", m.denominator().value());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
