package io.liftstream.experiments.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

class RewardTallyTest {
    @Test
    void mergesToTheSameBitsInAnyOrder() {
        Random rnd = new Random(7);
        List<Double> rewards = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            rewards.add(rnd.nextDouble() * 1000 - 100);
        }
        RewardTally inOrder = new RewardTally();
        rewards.forEach(inOrder::add);
        for (int round = 0; round < 5; round++) {
            Collections.shuffle(rewards, rnd);
            // Split into uneven partial tallies, merged in shuffled order.
            List<RewardTally> parts = new ArrayList<>();
            RewardTally current = new RewardTally();
            for (double r : rewards) {
                current.add(r);
                if (rnd.nextInt(50) == 0) {
                    parts.add(current);
                    current = new RewardTally();
                }
            }
            parts.add(current);
            Collections.shuffle(parts, rnd);
            RewardTally merged = new RewardTally();
            parts.forEach(merged::add);
            assertThat(merged).isEqualTo(inOrder);
            assertThat(merged.sum()).isEqualTo(inOrder.sum());
            assertThat(merged.sumSquares()).isEqualTo(inOrder.sumSquares());
        }
    }

    @Test
    void sumsAreExactToTheQuantum() {
        RewardTally t = new RewardTally().add(0.1).add(0.2).add(-0.3).add(19.99);
        assertThat(t.n).isEqualTo(4);
        assertThat(t.sum()).isEqualTo(19.99);
        assertThat(t.sumSquares()).isCloseTo(0.01 + 0.04 + 0.09 + 19.99 * 19.99, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void conversionsCountTrialsAndSuccesses() {
        RewardTally t = new RewardTally().add(1).add(0).add(1).add(0).add(0);
        assertThat(t.conversions().trials()).isEqualTo(5);
        assertThat(t.conversions().successes()).isEqualTo(2);
    }

    @Test
    void largeValuesUse128Bits() {
        RewardTally t = new RewardTally();
        for (int i = 0; i < 1000; i++) {
            t.add(1e9);
        }
        assertThat(t.sum()).isEqualTo(1e12);
        assertThat(t.sumSquares()).isCloseTo(1e21, org.assertj.core.api.Assertions.withinPercentage(1e-12));
        assertThat(t.values().mean()).isEqualTo(1e9);
    }
}
