package io.liftstream.jobs.results;

import io.liftstream.jobs.input.InputSplitter;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Definitions after parsing: a valid one leaves with the time it takes effect (its element
 * timestamp: the definition's {@code timestamp}, else the Kafka record's, else the beginning of
 * time); an invalid one is dead-lettered and counted, and the experiment keeps its previous version.
 * A definition is never late: one behind the stream takes effect when it arrives.
 */
public class DefinitionSplitter extends ProcessFunction<ResultsLine, DefinitionVersion> {
    private static final long serialVersionUID = 1L;

    public static final String DEFINITIONS = "liftstreamResultsDefinitions";

    private transient Counter good;
    private transient Counter dead;
    private transient LongCounter goodTotal;
    private transient LongCounter deadTotal;

    @Override
    public void open(OpenContext openContext) {
        good = getRuntimeContext().getMetricGroup().counter(DEFINITIONS);
        dead = getRuntimeContext().getMetricGroup().counter(InputSplitter.DEAD);
        goodTotal = getRuntimeContext().getLongCounter(DEFINITIONS);
        deadTotal = getRuntimeContext().getLongCounter(InputSplitter.DEAD);
    }

    @Override
    public void processElement(ResultsLine line, Context ctx, Collector<DefinitionVersion> out) {
        if (line.definition == null) {
            dead.inc();
            deadTotal.add(1);
            ctx.output(ResultsSplitter.DEAD_LETTERS,
                    RejectedLine.deadLetter(null, line.line, line.lineBytes, line.error != null ? line.error : "invalid_definition"));
            return;
        }
        Long time = ctx.timestamp();
        DefinitionVersion v = line.definition;
        good.inc();
        goodTotal.add(1);
        out.collect(new DefinitionVersion(v.experimentId, time == null ? Long.MIN_VALUE : time, v.json));
    }
}
