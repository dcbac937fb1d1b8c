package io.liftstream.benchmarks.bandit;

import io.liftstream.experiments.bandit.RandomVariates;

import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One Marsaglia–Tsang gamma draw (and a Beta draw: two gammas) on SplittableRandom, against the
 * commons-math3 way: constructing a GammaDistribution, with its default generator (a fresh
 * Well19937c seeded from the clock: the common mistake) or a shared one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GammaSamplingBenchmark {
    private final SplittableRandom rng = new SplittableRandom(7);
    private final Well19937c well = new Well19937c(7);
    private final GammaDistribution shared = new GammaDistribution(new Well19937c(7), 205.5, 1.0);
    // Not final: keeps the JIT from constant-folding the shapes.
    private double shape = 205.5;
    private double other = 4800.5;

    @Benchmark
    public double gammaDraw() {
        return RandomVariates.gamma(rng, shape);
    }

    @Benchmark
    public double betaDraw() {
        return RandomVariates.beta(rng, shape, other);
    }

    @Benchmark
    public double commonsMathSharedGammaSample() {
        return shared.sample();
    }

    @Benchmark
    public GammaDistribution commonsMathGammaConstruction() {
        return new GammaDistribution(shape, 1.0);
    }

    @Benchmark
    public GammaDistribution commonsMathGammaConstructionSharedRng() {
        return new GammaDistribution(well, shape, 1.0);
    }
}
