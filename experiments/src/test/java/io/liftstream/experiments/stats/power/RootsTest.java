package io.liftstream.experiments.stats.power;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

class RootsTest {

    @Test
    void findsTheRootFromAboveWithinTheTolerance() {
        AtomicInteger calls = new AtomicInteger();
        double root = Math.cbrt(2);
        double x = Roots.increasing(v -> {
            calls.incrementAndGet();
            return v * v * v - 2;
        }, 0, -2, 2, 6, 1e-12);
        assertThat(x).isBetween(root, root + 1e-12);
        // Superlinear: far fewer evaluations than the 41 of bisection on [0, 2] to 1e-12.
        assertThat(calls.get()).isLessThan(20);
    }

    @Test
    void aFlatStartAndASteepEndStillConverge() {
        // exp(x) − e^9 on [0, 10]: regula falsi alone would crawl from the left end.
        AtomicInteger calls = new AtomicInteger();
        double x = Roots.increasing(v -> {
            calls.incrementAndGet();
            return Math.exp(v) - Math.exp(9);
        }, 0, 1 - Math.exp(9), 10, Math.exp(10) - Math.exp(9), 1e-10);
        assertThat(x).isBetween(9.0, 9.0 + 1e-10);
        assertThat(calls.get()).isLessThan(40);
    }

    @Test
    void aStepFunctionGivesTheFirstPointAtOrAboveZero() {
        double x = Roots.increasing(v -> v >= 0.3 ? 1 : -1, 0, -1, 1, 1, 1e-9);
        assertThat(x).isBetween(0.3, 0.3 + 1e-9);
    }
}
