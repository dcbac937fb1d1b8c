package io.liftstream.benchmarks.bandit;

import io.liftstream.experiments.assignment.Assignment;
import io.liftstream.experiments.assignment.ExperimentAssigner;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.HashVersion;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Cost of deterministic assignment: the GrowthBook hashes alone, and a full assignment (namespace,
 * bucket, arm, per-experiment and global holdout) for a 36-character user id.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AssignmentBenchmark {
    private final String[] users = new String[1024];
    private int next;
    private ExperimentAssigner plain;
    private ExperimentAssigner withHoldouts;

    @Setup
    public void setUp() {
        for (int i = 0; i < users.length; i++) {
            users[i] = java.util.UUID.nameUUIDFromBytes(("user-" + i).getBytes()).toString();
        }
        plain = new ExperimentAssigner(ExperimentDefinition.builder("checkout-banner").arms("control", "red", "blue").build());
        withHoldouts = new ExperimentAssigner(ExperimentDefinition.builder("checkout-banner").arms("control", "red", "blue")
                .hashVersion(HashVersion.V2).holdoutPct(10)
                .namespace(new io.liftstream.experiments.assignment.Namespace("checkout", 0, 0.7)).build(), 5);
    }

    private String user() {
        next = (next + 1) & (users.length - 1);
        return users[next];
    }

    @Benchmark
    public double hashV1() {
        return HashVersion.V1.hash("checkout-banner", user());
    }

    @Benchmark
    public double hashV2() {
        return HashVersion.V2.hash("checkout-banner", user());
    }

    @Benchmark
    public Assignment assign() {
        return plain.assign(user());
    }

    @Benchmark
    public Assignment assignWithNamespaceAndHoldouts() {
        return withHoldouts.assign(user());
    }
}
