package io.liftstream.benchmarks.stats;

import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.ArmInput;
import io.liftstream.experiments.stats.CupedStats;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.SampleStats;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cost of the statistics the streaming jobs call: one per-event update of the sufficient
 * statistics (plain and CUPED), and one full analysis of a two-arm experiment per method.
 * The GST analysis has 5 earlier looks and a current total that differs on every call, so the
 * boundary of the current look is solved each time (earlier looks come from the cache, as in a
 * running job).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class StatsBenchmark {
    private SampleStats stats;
    private CupedStats cuped;
    private double[] values;
    private int i;

    @Param({"fixed", "sequential", "msprt", "gst", "bayesian"})
    public String method;

    private AnalysisRequest.Builder request;
    private long step;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(1);
        values = new double[1024];
        for (int k = 0; k < values.length; k++) {
            values[k] = r.nextDouble() * 100;
        }
        stats = SampleStats.EMPTY;
        cuped = CupedStats.EMPTY;
        request = AnalysisRequest.builder().metric(MetricType.PROPORTION).method(Method.valueOf(method.toUpperCase()));
    }

    @Benchmark
    public SampleStats updatePerEvent() {
        double x = values[i++ & 1023];
        stats = stats.add(x);
        return stats;
    }

    @Benchmark
    public CupedStats updatePerEventCuped() {
        double x = values[i++ & 1023];
        cuped = cuped.add(x, values[(i + 7) & 1023]);
        return cuped;
    }

    @Benchmark
    public AnalysisResult analyzeTwoArms() {
        long n = 60_000 + (step++ % 20_000); // a new current total each call
        long c = n / 10;
        AnalysisRequest.Builder b = request.arms(List.of(ArmInput.of("control", SampleStats.of(n, c, c)),
                ArmInput.of("b", SampleStats.of(n + 17, c + 40, c + 40))));
        if ("gst".equals(method)) {
            b.gst(400_000, new long[] {20_000, 40_000, 60_000, 80_000, 100_000});
        }
        return Analyzer.analyze(b.build());
    }
}
