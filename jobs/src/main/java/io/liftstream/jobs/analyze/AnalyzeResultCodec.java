package io.liftstream.jobs.analyze;

import io.liftstream.experiments.stats.AnalysisResult;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/**
 * Writes one {@code analyze} output object, fields in the contract's order:
 * {@code id, status, error, srm_p_value, sequential_srm_p_value, arms[{name, n, mean, variance}],
 * comparisons[{arm, expected, se, ci_lower, ci_upper, p_value, p_value_adjusted, chance_to_win,
 * risk[control, treatment], significant, status, absolute}]}. {@code status} is {@code ok}, or
 * {@code relative_lift_unreliable} when the control mean is too close to 0 for the relative numbers
 * (which are still given), and then {@code absolute} holds the same fields (without status and
 * absolute) for the absolute difference, which the results job's recommendation uses; else
 * {@code absolute} is null. Numbers that do not exist are null: the infinite end of
 * a one-sided interval, p-values of the Bayesian method, chance to win and risk of the frequentist
 * ones, and every number of a comparison that could not be computed.
 */
public final class AnalyzeResultCodec {
    private AnalyzeResultCodec() {}

    public static void write(JsonGenerator g, JsonNode id, AnalysisResult r) throws IOException {
        g.writeStartObject();
        writeId(g, id);
        writeFields(g, r);
        g.writeEndObject();
    }

    /**
     * The fields after {@code id}, without the enclosing object: {@code status} to {@code
     * comparisons}. The results job writes them inside its own records.
     */
    public static void writeFields(JsonGenerator g, AnalysisResult r) throws IOException {
        g.writeStringField("status", r.ok() ? "ok" : "error");
        if (r.ok()) {
            g.writeNullField("error");
        } else {
            g.writeStringField("error", r.error());
        }
        number(g, "srm_p_value", r.srmPValue());
        number(g, "sequential_srm_p_value", r.sequentialSrmPValue());
        g.writeArrayFieldStart("arms");
        for (AnalysisResult.ArmSummary a : r.arms()) {
            g.writeStartObject();
            g.writeStringField("name", a.name());
            g.writeNumberField("n", a.n());
            number(g, "mean", a.mean());
            number(g, "variance", a.variance());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("comparisons");
        for (AnalysisResult.Comparison c : r.comparisons()) {
            g.writeStartObject();
            writeComparison(g, c);
            g.writeStringField("status", c.status().wireName());
            if (c.absolute() != null) {
                g.writeObjectFieldStart("absolute");
                writeComparison(g, c.absolute());
                g.writeEndObject();
            } else {
                g.writeNullField("absolute");
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeComparison(JsonGenerator g, AnalysisResult.Comparison c) throws IOException {
        g.writeStringField("arm", c.arm());
        number(g, "expected", c.expected());
        number(g, "se", c.se());
        number(g, "ci_lower", c.ciLower());
        number(g, "ci_upper", c.ciUpper());
        number(g, "p_value", c.pValue());
        number(g, "p_value_adjusted", c.pValueAdjusted());
        number(g, "chance_to_win", c.chanceToWin());
        if (Double.isFinite(c.riskControl()) && Double.isFinite(c.riskTreatment())) {
            g.writeArrayFieldStart("risk");
            g.writeNumber(c.riskControl());
            g.writeNumber(c.riskTreatment());
            g.writeEndArray();
        } else {
            g.writeNullField("risk");
        }
        g.writeBooleanField("significant", c.significant());
    }

    /** A line that could not be analysed at all: the reason, and null for everything else. */
    static void writeError(JsonGenerator g, JsonNode id, String reason) throws IOException {
        g.writeStartObject();
        writeId(g, id);
        writeErrorFields(g, reason);
        g.writeEndObject();
    }

    /** The fields of an error answer after {@code id}: the reason, and null for everything else. */
    public static void writeErrorFields(JsonGenerator g, String reason) throws IOException {
        g.writeStringField("status", "error");
        g.writeStringField("error", reason);
        g.writeNullField("srm_p_value");
        g.writeNullField("sequential_srm_p_value");
        g.writeNullField("arms");
        g.writeNullField("comparisons");
    }

    private static void writeId(JsonGenerator g, JsonNode id) throws IOException {
        g.writeFieldName("id");
        if (id == null || id.isContainerNode()) {
            g.writeNull();
        } else {
            g.writeTree(id);
        }
    }

    private static void number(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(field, v);
        } else {
            g.writeNullField(field);
        }
    }
}
