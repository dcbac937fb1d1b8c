package io.liftstream.jobs.results;

import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

import java.util.List;

/**
 * Runs {@link UserResultsFunction} with event time that follows the exposures and outcomes: the
 * definitions can hold it back, never move it on their own.
 *
 * <p>Flink excludes an idle input from an operator's event time, so while every decisions and
 * events partition is quiet, the broadcast definitions alone would drive it. But a definition's
 * {@code timestamp} is when it takes effect, not an event: a change written live (by the SQL
 * scripts, effective now or later) would move event time past decisions still on their way. The
 * outcomes buffered here would then apply before the exposures that precede them (conversions
 * lost), and, this operator going idle downstream, the per-experiment merge would fire a tick
 * before every subtask's sums of that tick arrived (users counted an interval late). So the
 * exposures-and-outcomes input never idles out here: when all of it is quiet, event time waits for
 * it. Idle partitions are still skipped where they are read (the sources' idleness), and the
 * definitions still hold event time back until they idle. The decision job's gated operator treats
 * its items the same way.
 */
public class UserResultsOperator extends CoBroadcastWithKeyedOperator<String, ResultsInput, DefinitionVersion, StatsDelta> {
    private static final long serialVersionUID = 1L;

    public UserResultsOperator(UserResultsFunction function) {
        super(function, List.of(UserResultsFunction.DEFINITIONS));
    }

    /** Input 1 (index 0), the exposures and outcomes, never idles out (see the class comment). */
    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
        if (index != 0) {
            super.processWatermarkStatus(status, index);
        }
    }
}
