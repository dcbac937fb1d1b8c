package io.liftstream.jobs.bench;

import io.liftstream.jobs.cli.RunSummary;
import io.liftstream.jobs.env.Environments;
import io.liftstream.jobs.triggers.TriggerJob;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Measures the trigger job against the bare baseline ({@link BenchPipeline}) over one input: warm-up
 * rounds, then measured rounds, each round running the baseline and then the trigger job as separate
 * bounded jobs on a fresh embedded cluster with the same configuration. Interleaving the two keeps
 * noise from the machine (other processes, JIT, page cache) from landing on one side only.
 *
 * <p>Throughput is events (the valid, on-time events {@link io.liftstream.jobs.input.InputSplitter}
 * counted) divided by the job's net runtime as Flink reports it (from submission to the end of
 * input, including task deployment, state backend start and the final checkpoint), so a short
 * input understates both pipelines. The summary is the median of the measured rounds of each
 * pipeline and their ratio (trigger job / baseline).
 */
public final class TriggerBenchmark {
    private final TriggerJob.Input input;
    private final Configuration config;
    private final int warmups;
    private final int runs;

    public TriggerBenchmark(TriggerJob.Input input, Configuration config, int warmups, int runs) {
        if (warmups < 0 || runs < 1) {
            throw new IllegalArgumentException("need warm-ups >= 0 and runs >= 1, was " + warmups + " and " + runs);
        }
        this.input = input;
        this.config = config;
        this.warmups = warmups;
        this.runs = runs;
    }

    /** One run of one pipeline; {@code round} 0 is a warm-up. */
    public static final class Measurement {
        public final BenchPipeline pipeline;
        public final int round;
        public final long events;
        public final long lateEvents;
        public final long deadLetters;
        public final long triggers;
        public final long millis;

        Measurement(BenchPipeline pipeline, int round, RunSummary summary, long millis) {
            this.pipeline = pipeline;
            this.round = round;
            this.events = summary.events;
            this.lateEvents = summary.late;
            this.deadLetters = summary.deadLettered;
            this.triggers = summary.totalTriggers();
            this.millis = millis;
        }

        public boolean isWarmUp() {
            return round == 0;
        }

        public double eventsPerSecond() {
            return millis == 0 ? 0 : events * 1000.0 / millis;
        }
    }

    /** All measurements and their summary. */
    public static final class Result {
        public final List<Measurement> measurements;

        Result(List<Measurement> measurements) {
            this.measurements = Collections.unmodifiableList(measurements);
        }

        /** Median events/s of the measured (not warm-up) runs of {@code pipeline}. */
        public double medianEventsPerSecond(BenchPipeline pipeline) {
            return median(measurements.stream()
                    .filter(m -> m.pipeline == pipeline && !m.isWarmUp())
                    .mapToDouble(Measurement::eventsPerSecond)
                    .toArray());
        }

        /** Trigger job throughput as a share of the baseline's. */
        public double ratio() {
            double baseline = medianEventsPerSecond(BenchPipeline.BASELINE);
            return baseline == 0 ? 0 : medianEventsPerSecond(BenchPipeline.TRIGGERS) / baseline;
        }
    }

    /** Runs every round, telling {@code progress} about each measurement as it completes. */
    public Result run(Consumer<Measurement> progress) throws Exception {
        List<Measurement> all = new ArrayList<>();
        for (int round = -warmups + 1; round <= runs; round++) {
            int r = Math.max(round, 0);
            for (BenchPipeline pipeline : BenchPipeline.values()) {
                Measurement m = measure(pipeline, r);
                all.add(m);
                progress.accept(m);
            }
        }
        return new Result(all);
    }

    private Measurement measure(BenchPipeline pipeline, int round) throws Exception {
        StreamExecutionEnvironment env = Environments.create(config);
        pipeline.wire(env, input, config);
        JobExecutionResult result = env.execute("liftstream-bench-" + pipeline.label);
        return new Measurement(pipeline, round, new RunSummary(result::getAccumulatorResult),
                result.getNetRuntime(TimeUnit.MILLISECONDS));
    }

    /** The median (the mean of the middle two for an even count); 0 for none. */
    public static double median(double... values) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
