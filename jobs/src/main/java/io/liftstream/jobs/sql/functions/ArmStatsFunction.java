package io.liftstream.jobs.sql.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.types.Row;

/**
 * {@code ARM_STATS(value DOUBLE) -> ROW<n BIGINT, sum DOUBLE, sum_squares DOUBLE>}: the sufficient
 * statistics of one arm from one row per unit (user): units, Σx and Σx² over the non-NULL values,
 * the {@code n}, {@code sum} and {@code sum_squares} of an {@code analyze} arm. For a conversion
 * metric pass 0/1. Retractable (an updating per-user value in a streaming query changes the
 * statistics by the difference) and mergeable.
 */
@FunctionHint(output = @DataTypeHint(ArmStatsFunction.RESULT))
public final class ArmStatsFunction extends AggregateFunction<Row, ArmStatsFunction.Acc> {
    public static final String NAME = "ARM_STATS";
    static final String RESULT = "ROW<n BIGINT, `sum` DOUBLE, sum_squares DOUBLE>";

    /** Units, Σx, Σx². */
    public static final class Acc {
        public long n;
        public double sum;
        public double sumSquares;
    }

    @Override
    public Acc createAccumulator() {
        return new Acc();
    }

    public void accumulate(Acc acc, Double value) {
        if (value != null) {
            acc.n++;
            acc.sum += value;
            acc.sumSquares += value * value;
        }
    }

    public void retract(Acc acc, Double value) {
        if (value != null) {
            acc.n--;
            acc.sum -= value;
            acc.sumSquares -= value * value;
        }
    }

    public void merge(Acc acc, Iterable<Acc> others) {
        for (Acc o : others) {
            acc.n += o.n;
            acc.sum += o.sum;
            acc.sumSquares += o.sumSquares;
        }
    }

    public void resetAccumulator(Acc acc) {
        acc.n = 0;
        acc.sum = 0;
        acc.sumSquares = 0;
    }

    @Override
    public Row getValue(Acc acc) {
        return Row.of(acc.n, acc.sum, acc.sumSquares);
    }
}
