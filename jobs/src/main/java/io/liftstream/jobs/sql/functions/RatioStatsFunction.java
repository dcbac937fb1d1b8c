package io.liftstream.jobs.sql.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.types.Row;

/**
 * {@code RATIO_STATS(numerator DOUBLE, denominator DOUBLE) -> ROW<n, sum, sum_squares,
 * denominator_sum, denominator_sum_squares, sum_product>}: the sufficient statistics of one arm of a
 * ratio metric (e.g. revenue per order) from one row per unit (user): units, Σm, Σm², Σd, Σd², Σm·d
 * over the rows where both are non-NULL, the numbers of an {@code analyze} ratio arm
 * ({@code "metric": "ratio"}, {@code "denominator": {"sum", "sum_squares", "sum_product"}}).
 * Retractable and mergeable.
 */
@FunctionHint(output = @DataTypeHint(RatioStatsFunction.RESULT))
public final class RatioStatsFunction extends AggregateFunction<Row, RatioStatsFunction.Acc> {
    public static final String NAME = "RATIO_STATS";
    static final String RESULT = "ROW<n BIGINT, `sum` DOUBLE, sum_squares DOUBLE, denominator_sum DOUBLE, "
            + "denominator_sum_squares DOUBLE, sum_product DOUBLE>";

    /** Units, Σm, Σm², Σd, Σd², Σmd. */
    public static final class Acc {
        public long n;
        public double sum;
        public double sumSquares;
        public double denominatorSum;
        public double denominatorSumSquares;
        public double sumProduct;

        void add(double m, double d, int sign) {
            n += sign;
            sum += sign * m;
            sumSquares += sign * m * m;
            denominatorSum += sign * d;
            denominatorSumSquares += sign * d * d;
            sumProduct += sign * m * d;
        }
    }

    @Override
    public Acc createAccumulator() {
        return new Acc();
    }

    public void accumulate(Acc acc, Double numerator, Double denominator) {
        if (numerator != null && denominator != null) {
            acc.add(numerator, denominator, 1);
        }
    }

    public void retract(Acc acc, Double numerator, Double denominator) {
        if (numerator != null && denominator != null) {
            acc.add(numerator, denominator, -1);
        }
    }

    public void merge(Acc acc, Iterable<Acc> others) {
        for (Acc o : others) {
            acc.n += o.n;
            acc.sum += o.sum;
            acc.sumSquares += o.sumSquares;
            acc.denominatorSum += o.denominatorSum;
            acc.denominatorSumSquares += o.denominatorSumSquares;
            acc.sumProduct += o.sumProduct;
        }
    }

    public void resetAccumulator(Acc acc) {
        acc.n = 0;
        acc.sum = 0;
        acc.sumSquares = 0;
        acc.denominatorSum = 0;
        acc.denominatorSumSquares = 0;
        acc.sumProduct = 0;
    }

    @Override
    public Row getValue(Acc acc) {
        return Row.of(acc.n, acc.sum, acc.sumSquares, acc.denominatorSum, acc.denominatorSumSquares, acc.sumProduct);
    }
}
