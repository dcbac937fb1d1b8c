package io.liftstream.benchmarks.bandit;

import io.liftstream.experiments.bandit.ArmPosteriors;
import io.liftstream.experiments.bandit.BanditAllocator;
import io.liftstream.experiments.bandit.BanditSettings;
import io.liftstream.experiments.bandit.BetaBernoulliPosteriors;
import io.liftstream.experiments.bandit.ConversionStats;
import io.liftstream.experiments.bandit.Decision;
import io.liftstream.experiments.bandit.NormalGammaPosteriors;
import io.liftstream.experiments.bandit.ThompsonPolicy;
import io.liftstream.experiments.bandit.ValueStats;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one Thompson-sampling decision (arm + propensity) for 2, 5 and 10 arms, and of its parts.
 *
 * <ul>
 *   <li>{@link #thompsonDecision}: {@link BanditAllocator#decide} on a Beta–Bernoulli snapshot whose
 *       propensities are already memoised: the per-request cost (k Beta draws, the floor
 *       coin, a lookup). Target: at most 100 ns per arm.</li>
 *   <li>{@link #thompsonDecisionRevenue}: the same on normal-gamma posteriors (revenue).</li>
 *   <li>{@link #propensityEstimate}: the once-per-snapshot computation of all arms' Thompson (and
 *       runner-up) probabilities by quadrature, paid when the posteriors change.</li>
 * </ul>
 * Draw costs and the commons-math3 comparison are in {@link GammaSamplingBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ThompsonDecisionBenchmark {
    @Param({"2", "5", "10"})
    public int arms;

    private BanditAllocator allocator;
    private ArmPosteriors conversions;
    private ArmPosteriors revenue;
    private SplittableRandom rng;
    private long snapshotSalt;

    @Setup(Level.Trial)
    public void setUp() {
        ConversionStats[] c = new ConversionStats[arms];
        ValueStats[] v = new ValueStats[arms];
        SplittableRandom data = new SplittableRandom(1);
        for (int i = 0; i < arms; i++) {
            // Realistic, close arms: 5,000 exposures each at 4–6% conversion, revenue around 40 ± 25.
            c[i] = new ConversionStats(5_000, 200 + 10L * i);
            ValueStats s = ValueStats.EMPTY;
            for (int j = 0; j < 500; j++) {
                s = s.add(Math.max(0, 40 + i + 25 * data.nextGaussian()));
            }
            v[i] = s;
        }
        conversions = BetaBernoulliPosteriors.of(c);
        revenue = NormalGammaPosteriors.of(v);
        allocator = new BanditAllocator(new ThompsonPolicy(), BanditSettings.DEFAULTS);
        conversions.thompsonProbabilities(); // memoise: decisions then only look propensities up
        revenue.thompsonProbabilities();
        rng = new SplittableRandom(42);
    }

    @Benchmark
    public Decision thompsonDecision() {
        return allocator.decide(conversions, rng);
    }

    @Benchmark
    public Decision thompsonDecisionRevenue() {
        return allocator.decide(revenue, rng);
    }

    @Benchmark
    public double[] propensityEstimate() {
        // A fresh snapshot each time (a different one per call, so nothing is memoised).
        ConversionStats[] c = new ConversionStats[arms];
        snapshotSalt++;
        for (int i = 0; i < arms; i++) {
            c[i] = new ConversionStats(5_000 + snapshotSalt, 200 + 10L * i);
        }
        return BetaBernoulliPosteriors.of(c).thompsonProbabilities();
    }
}
