package io.liftstream.jobs.sql.functions;

import io.liftstream.jobs.analyze.AnalyzeJson;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code AB_ANALYZE(request STRING) -> STRING}: the line {@code ./liftstream analyze} writes for the
 * input line {@code request} (the full contract: any number of arms, CUPED, corrections, gst looks).
 * Read fields with {@code JSON_VALUE(AB_ANALYZE(...), '$.comparisons[0].p_value' RETURNING DOUBLE)}.
 * A bad request gives analyze's error line, never a failed query; NULL gives NULL.
 */
public final class AbAnalyzeFunction extends ScalarFunction {
    public static final String NAME = "AB_ANALYZE";

    public String eval(String request) {
        return request == null ? null : AnalyzeJson.answer(request);
    }
}
