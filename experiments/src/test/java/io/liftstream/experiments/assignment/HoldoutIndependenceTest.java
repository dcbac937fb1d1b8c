package io.liftstream.experiments.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

/**
 * Holdout membership is independent of the arm: chi-square tests of independence over 200,000 user
 * ids, and holdout shares within 4 standard errors of the configured percentage.
 */
class HoldoutIndependenceTest {
    private static final int USERS = 200_000;

    private static String user(int i) {
        return "user-" + i; // sequential ids: the worst case for a weak hash
    }

    @Test
    void experimentHoldoutIsIndependentOfTheArm() {
        for (HashVersion version : HashVersion.values()) {
            ExperimentDefinition def = ExperimentDefinition.builder("checkout-banner")
                    .arms("control", "red", "blue").hashVersion(version).holdoutPct(10).build();
            ExperimentAssigner assigner = new ExperimentAssigner(def);
            long[][] table = new long[3][2];
            for (int i = 0; i < USERS; i++) {
                Assignment a = assigner.assign(user(i));
                table[a.armIndex()][a.inHoldout() ? 1 : 0]++;
            }
            double p = new ChiSquareTest().chiSquareTest(table);
            assertThat(p).as("independence p-value, hash v%d", version.number).isGreaterThan(0.001);
            long held = table[0][1] + table[1][1] + table[2][1];
            assertShare(held, USERS, 0.10);
            for (long[] row : table) {
                assertShare(row[0] + row[1], USERS, 1.0 / 3);
            }
        }
    }

    @Test
    void globalHoldoutIsIndependentOfArmAndOfExperimentHoldout() {
        ExperimentDefinition def = ExperimentDefinition.builder("exp-a").arms("a", "b").holdoutPct(20).build();
        long[][] byArm = new long[2][2];
        long[][] byExperimentHoldout = new long[2][2];
        long global = 0;
        for (int i = 0; i < USERS; i++) {
            String u = user(i);
            boolean g = Holdouts.inGlobalHoldout(u, 5);
            boolean e = Holdouts.inExperimentHoldout(def, u);
            int arm = new ExperimentAssigner(def).assign(u).armIndex();
            byArm[arm][g ? 1 : 0]++;
            byExperimentHoldout[e ? 1 : 0][g ? 1 : 0]++;
            global += g ? 1 : 0;
        }
        assertThat(new ChiSquareTest().chiSquareTest(byArm)).isGreaterThan(0.001);
        assertThat(new ChiSquareTest().chiSquareTest(byExperimentHoldout)).isGreaterThan(0.001);
        assertShare(global, USERS, 0.05);
    }

    @Test
    void holdoutsOfTwoExperimentsAreIndependent() {
        ExperimentDefinition a = ExperimentDefinition.builder("exp-a").arms("a", "b").holdoutPct(30).build();
        ExperimentDefinition b = ExperimentDefinition.builder("exp-b").arms("a", "b").holdoutPct(30).build();
        long[][] table = new long[2][2];
        for (int i = 0; i < USERS; i++) {
            table[Holdouts.inExperimentHoldout(a, user(i)) ? 1 : 0][Holdouts.inExperimentHoldout(b, user(i)) ? 1 : 0]++;
        }
        assertThat(new ChiSquareTest().chiSquareTest(table)).isGreaterThan(0.001);
    }

    @Test
    void aGlobalHoldoutUserIsHeldOutEvenOutsideTheExperiment() {
        ExperimentDefinition def = ExperimentDefinition.builder("tiny").arms("a", "b").coverage(0.1).build();
        ExperimentAssigner assigner = new ExperimentAssigner(def, 50);
        int outsideHeld = 0;
        int insideExperimentHoldoutOnly = 0;
        for (int i = 0; i < 10_000; i++) {
            Assignment a = assigner.assign(user(i));
            if (!a.inExperiment() && a.inHoldout()) {
                outsideHeld++;
            }
        }
        assertThat(outsideHeld).isBetween(4_000, 5_000); // about 50% of the ~90% outside coverage
        ExperimentAssigner noGlobal = new ExperimentAssigner(
                ExperimentDefinition.builder("tiny").arms("a", "b").coverage(0.1).holdoutPct(50).build());
        for (int i = 0; i < 10_000; i++) {
            Assignment a = noGlobal.assign(user(i));
            if (!a.inExperiment() && a.inHoldout()) {
                insideExperimentHoldoutOnly++;
            }
        }
        assertThat(insideExperimentHoldoutOnly).as("an experiment's holdout covers only its own users").isZero();
    }

    private static void assertShare(long count, long n, double p) {
        double se = Math.sqrt(p * (1 - p) / n);
        assertThat((double) count / n).isCloseTo(p, org.assertj.core.api.Assertions.within(4 * se));
    }
}
