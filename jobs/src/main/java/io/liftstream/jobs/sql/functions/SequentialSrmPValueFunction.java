package io.liftstream.jobs.sql.functions;

import io.liftstream.experiments.stats.srm.SequentialSrm;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code SEQUENTIAL_SRM_P_VALUE(counts ARRAY<BIGINT> [, weights ARRAY<DOUBLE> [, previous DOUBLE]])
 * -> DOUBLE}: the anytime-valid sample ratio mismatch p-value of Lindon &amp; Malek (2022)
 * ({@link SequentialSrm}, Dirichlet concentration 10,000), {@code analyze}'s
 * {@code sequential_srm_p_value}; {@code previous} is the value at the previous look (default 1,
 * the first look). NULL when an argument or an element is NULL or the lengths differ.
 */
public final class SequentialSrmPValueFunction extends ScalarFunction {
    public static final String NAME = "SEQUENTIAL_SRM_P_VALUE";

    public Double eval(@DataTypeHint("ARRAY<BIGINT>") Long[] counts) {
        return eval(counts, null, 1.0);
    }

    public Double eval(@DataTypeHint("ARRAY<BIGINT>") Long[] counts, @DataTypeHint("ARRAY<DOUBLE>") Double[] weights) {
        return eval(counts, weights, 1.0);
    }

    public Double eval(@DataTypeHint("ARRAY<BIGINT>") Long[] counts, @DataTypeHint("ARRAY<DOUBLE>") Double[] weights,
            Double previous) {
        long[] n = SrmArguments.counts(counts);
        double[] w = SrmArguments.weights(weights, counts == null ? 0 : counts.length);
        if (n == null || w == null || previous == null) {
            return null;
        }
        return SequentialSrm.pValue(n, w, SequentialSrm.DEFAULT_CONCENTRATION, previous);
    }
}
