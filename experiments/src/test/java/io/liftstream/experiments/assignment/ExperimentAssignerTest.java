package io.liftstream.experiments.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.bandit.PolicyType;

import org.junit.jupiter.api.Test;

import java.util.List;

class ExperimentAssignerTest {

    @Test
    void reproducesGrowthBookExperimentBucketsAndArms() {
        // cases.json, feature "empty experiment rule": key "feature", three equal variations, v1.
        ExperimentAssigner a = new ExperimentAssigner(ExperimentDefinition.builder("feature").arms("a", "b", "c").build());
        assertThat(a.assign("123")).isEqualTo(new Assignment("123", 0.863, 2, "c", false));
        assertThat(a.assign("456")).isEqualTo(new Assignment("456", 0.178, 0, "a", false));
        assertThat(a.assign("fds")).isEqualTo(new Assignment("fds", 0.514, 1, "b", false));
    }

    @Test
    void seedDefaultsToTheExperimentIdAndOverridesIt() {
        ExperimentDefinition byId = ExperimentDefinition.builder("feature").arms("a", "b").hashVersion(HashVersion.V2).build();
        ExperimentDefinition bySeed = ExperimentDefinition.builder("hello").seed("feature").arms("a", "b")
                .hashVersion(HashVersion.V2).build();
        assertThat(byId.seed()).isEqualTo("feature");
        assertThat(new ExperimentAssigner(bySeed).assign("123").bucket()).isEqualTo(0.5231);
        assertThat(new ExperimentAssigner(byId).assign("123").bucket()).isEqualTo(0.5231);
    }

    @Test
    void outsideCoverageOrNamespaceHasNoArm() {
        ExperimentDefinition def = ExperimentDefinition.builder("feature").arms("a", "b", "c").coverage(0.5).build();
        Assignment a = new ExperimentAssigner(def).assign("123"); // bucket 0.863: last third, beyond half its width
        assertThat(a.arm()).isNull();
        assertThat(a.armIndex()).isEqualTo(-1);
        assertThat(a.bucket()).isEqualTo(0.863);

        // cases.json inNamespace: user "1" is not in ["namespace1", 0, 0.4] but is in [0.4, 1].
        ExperimentDefinition out = ExperimentDefinition.builder("feature").arms("a", "b", "c")
                .namespace(new Namespace("namespace1", 0, 0.4)).build();
        ExperimentDefinition in = ExperimentDefinition.builder("feature").arms("a", "b", "c")
                .namespace(new Namespace("namespace1", 0.4, 1)).build();
        assertThat(new ExperimentAssigner(out).assign("1").arm()).isNull();
        assertThat(new ExperimentAssigner(in).assign("1").arm()).isNotNull();
    }

    @Test
    void experimentsInDisjointSlicesOfANamespaceNeverShareAUser() {
        ExperimentAssigner left = new ExperimentAssigner(ExperimentDefinition.builder("left").arms("a", "b")
                .namespace(new Namespace("checkout", 0, 0.5)).build());
        ExperimentAssigner right = new ExperimentAssigner(ExperimentDefinition.builder("right").arms("a", "b")
                .namespace(new Namespace("checkout", 0.5, 1)).build());
        int inLeft = 0;
        for (int i = 0; i < 20_000; i++) {
            String u = "u" + i;
            boolean l = left.assign(u).inExperiment();
            boolean r = right.assign(u).inExperiment();
            assertThat(l && r).as(u).isFalse();
            assertThat(l || r).as(u).isTrue();
            inLeft += l ? 1 : 0;
        }
        assertThat(inLeft).isBetween(9_500, 10_500);
    }

    @Test
    void raisingCoverageOnlyAddsUsersAndNeverMovesThem() {
        ExperimentAssigner low = new ExperimentAssigner(ExperimentDefinition.builder("ramp").arms("a", "b").coverage(0.2).build());
        ExperimentAssigner high = new ExperimentAssigner(ExperimentDefinition.builder("ramp").arms("a", "b").coverage(0.8).build());
        for (int i = 0; i < 5_000; i++) {
            Assignment l = low.assign("u" + i);
            if (l.inExperiment()) {
                assertThat(high.assign("u" + i).arm()).isEqualTo(l.arm());
            }
        }
    }

    @Test
    void weightsSplitTrafficAsConfigured() {
        ExperimentAssigner a = new ExperimentAssigner(ExperimentDefinition.builder("w")
                .arms(List.of(new Arm("control", 0.8), new Arm("treatment", 0.2))).hashVersion(HashVersion.V2).build());
        int treated = 0;
        for (int i = 0; i < 50_000; i++) {
            treated += a.assign("u" + i).armIndex();
        }
        assertThat(treated / 50_000.0).isBetween(0.19, 0.21);
    }

    @Test
    void definitionsAreValidatedWithClearMessages() {
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms("only").build())
                .hasMessage("experiment 'x': needs at least two arms, has 1");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x")
                .arms(List.of(new Arm("a", 0.7), new Arm("b", 0.6))).build())
                .hasMessageContaining("arm weights must sum to 1 (± 0.01), sum to 1.2");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms("a", "a").build())
                .hasMessage("experiment 'x': duplicate arm name 'a'");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms("a", "b").coverage(1.5).build())
                .hasMessage("experiment 'x': coverage must be in [0, 1], was 1.5");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms("a", "b").holdoutPct(101).build())
                .hasMessageContaining("holdout_pct must be in [0, 100] (percent), was 101.0");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms("a", "b", "c").minArmShare(0.34).build())
                .hasMessageContaining("min_arm_share must be in [0, 1/3]");
        assertThatThrownBy(() -> ExperimentDefinition.builder("x").arms("a", "b").burnIn(-1).build())
                .hasMessageContaining("burn_in must not be negative");
        assertThatThrownBy(() -> ExperimentDefinition.builder(" ").arms("a", "b").build())
                .hasMessage("experiment_id must not be empty");
        assertThatThrownBy(() -> new Namespace("ns", 0.5, 0.2)).hasMessageContaining("0 <= start <= end <= 1");
        assertThatThrownBy(() -> PolicyType.of("greedy")).hasMessageContaining("unknown policy 'greedy'");
    }

    @Test
    void defaultsAreNamedAndApplied() {
        ExperimentDefinition d = ExperimentDefinition.builder("d").arms("a", "b").build();
        assertThat(d.coverage()).isEqualTo(1.0);
        assertThat(d.hashVersion()).isEqualTo(HashVersion.V1);
        assertThat(d.policy()).isEqualTo(PolicyType.FIXED);
        assertThat(d.status()).isEqualTo(ExperimentStatus.RUNNING);
        assertThat(d.minArmShare()).isEqualTo(0.01);
        assertThat(d.burnIn()).isEqualTo(100);
        assertThat(d.holdoutPct()).isZero();
    }
}
