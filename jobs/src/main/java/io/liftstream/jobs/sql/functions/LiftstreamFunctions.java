package io.liftstream.jobs.sql.functions;

import org.apache.flink.table.api.TableEnvironment;

import java.util.Arrays;

/**
 * Registers the Liftstream statistics functions with a {@link TableEnvironment}: one call,
 * idempotent. The functions and their signatures (README, "Statistics in SQL"):
 *
 * <ul>
 *   <li>{@code AB_TEST(method, metric, n_c, sum_c, sum_sq_c, n_t, sum_t, sum_sq_t [, settings])} → ROW
 *       ({@link AbTestFunction})</li>
 *   <li>{@code AB_ANALYZE(request)} → the analyze output line ({@link AbAnalyzeFunction})</li>
 *   <li>{@code SRM_P_VALUE(counts [, weights])} ({@link SrmPValueFunction})</li>
 *   <li>{@code SEQUENTIAL_SRM_P_VALUE(counts [, weights [, previous]])} ({@link SequentialSrmPValueFunction})</li>
 *   <li>aggregate {@code ARM_STATS(value)} → ROW(n, sum, sum_squares) ({@link ArmStatsFunction})</li>
 *   <li>aggregate {@code AB_ANALYZE_AGG(arm, value, request)} → the analyze output line ({@link AbAnalyzeAggFunction})</li>
 *   <li>aggregate {@code RATIO_STATS(numerator, denominator)} → ROW(n, sum, sum_squares, denominator_sum,
 *       denominator_sum_squares, sum_product) ({@link RatioStatsFunction})</li>
 *   <li>aggregate {@code AB_ANALYZE_RATIO_AGG(arm, numerator, denominator, request)} → the analyze output line
 *       ({@link AbAnalyzeRatioAggFunction})</li>
 * </ul>
 */
public final class LiftstreamFunctions {
    private LiftstreamFunctions() {}

    public static void register(TableEnvironment tEnv) {
        if (!Arrays.asList(tEnv.listModules()).contains(LiftstreamModule.NAME)) {
            tEnv.loadModule(LiftstreamModule.NAME, new LiftstreamModule());
        }
    }
}
