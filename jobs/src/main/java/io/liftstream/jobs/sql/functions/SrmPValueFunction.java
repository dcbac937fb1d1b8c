package io.liftstream.jobs.sql.functions;

import io.liftstream.experiments.stats.srm.ChiSquareSrm;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code SRM_P_VALUE(counts ARRAY<BIGINT> [, weights ARRAY<DOUBLE>]) -> DOUBLE}: the sample ratio
 * mismatch p-value of Pearson's chi-square test of the units per arm against the planned weights
 * (default equal), {@code analyze}'s {@code srm_p_value} ({@link ChiSquareSrm}). NULL when an
 * argument or an element is NULL or the lengths differ.
 */
public final class SrmPValueFunction extends ScalarFunction {
    public static final String NAME = "SRM_P_VALUE";

    public Double eval(@DataTypeHint("ARRAY<BIGINT>") Long[] counts) {
        return eval(counts, null);
    }

    public Double eval(@DataTypeHint("ARRAY<BIGINT>") Long[] counts, @DataTypeHint("ARRAY<DOUBLE>") Double[] weights) {
        long[] n = SrmArguments.counts(counts);
        double[] w = SrmArguments.weights(weights, counts == null ? 0 : counts.length);
        if (n == null || w == null) {
            return null;
        }
        return ChiSquareSrm.pValue(n, w);
    }
}
