package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.jobs.testkit.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class PlanCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode plan(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("plan"));
        all.addAll(List.of(args));
        CliRun r = CliRun.of(all);
        assertThat(r.exitCode).as(r.err).isZero();
        return MAPPER.readTree(r.out);
    }

    private static JsonNode design(JsonNode plan, String method) {
        for (JsonNode d : plan.get("designs")) {
            if (d.get("method").asText().equals(method)) {
                return d;
            }
        }
        throw new AssertionError("no design " + method + " in " + plan);
    }

    @Test
    void usersAndDaysForAnMdeForEveryDesign() throws Exception {
        JsonNode p = plan("--baseline-rate", "0.1", "--mde", "0.05", "--traffic-per-day", "10000");
        assertThat(p.get("solve_for").asText()).isEqualTo("users");
        assertThat(p.get("lift").asText()).isEqualTo("relative");
        assertThat(p.get("designs")).hasSize(4);
        long fixed = design(p, "fixed").get("users_total").asLong();
        // 10 % → 10.5 %, α = 0.05, power 0.8. The absolute two-proportion z-test needs
        // (1.96 + 0.84)² (0.09 + 0.09398) / 0.005² ≈ 57,760 per arm; the engine's relative test, with
        // the delta-method variance (0.09398 + 1.05²·0.09)/0.1² per user, 60,660 by the textbook
        // formula, and fewer once its studentized statistic's smaller spread is counted.
        assertThat(fixed).isBetween(2 * 57_760L, 2 * 60_660L);
        for (JsonNode d : p.get("designs")) {
            long total = d.get("users_total").asLong();
            JsonNode arms = d.get("users_per_arm");
            assertThat(arms.get(0).asLong() + arms.get(1).asLong()).isEqualTo(total);
            assertThat(d.get("days").asDouble()).isEqualTo(Math.ceil(total / 10000.0));
            assertThat(d.get("achieved_power").asDouble()).isBetween(0.8, 0.801);
            assertThat(d.get("treatment_mean").asDouble()).isCloseTo(0.105, within(1e-12));
        }
        // Always-valid designs pay for peeking; GST pays little.
        assertThat(design(p, "sequential").get("users_total").asLong()).isGreaterThan(fixed);
        assertThat(design(p, "msprt").get("users_total").asLong()).isGreaterThan(fixed);
        JsonNode gst = design(p, "gst");
        assertThat(gst.get("users_total").asLong()).isBetween(fixed, (long) (fixed * 1.03));
        assertThat(gst.get("looks").asInt()).isEqualTo(5);
        assertThat(gst.get("boundaries_z")).hasSize(5);
        assertThat(gst.get("expected_users_at_mde").asDouble()).isLessThan(fixed);
        assertThat(design(p, "msprt").get("msprt_tau2").asDouble()).isCloseTo(Analyzer.defaultTau2(true, 0.1), within(1e-15));
        JsonNode seq = design(p, "sequential");
        assertThat(seq.get("sequential_tuning").asDouble()).isEqualTo(5000);
        // Tuned near its own size the sequence needs fewer users than at the default N* = 5000.
        assertThat(seq.get("users_total_at_best_tuning").asLong()).isLessThan(seq.get("users_total").asLong());
        JsonNode tuned = design(plan("--baseline-rate", "0.1", "--mde", "0.05", "--traffic-per-day", "10000",
                "--method", "sequential", "--sequential-tuning", seq.get("best_sequential_tuning").asText()), "sequential");
        assertThat(tuned.get("users_total").asLong()).isCloseTo(seq.get("users_total_at_best_tuning").asLong(), within(2L));
    }

    @Test
    void mdeForAFixedNumberOfDaysInvertsTheSampleSize() throws Exception {
        JsonNode byMde = plan("--baseline-mean", "12.5", "--baseline-variance", "900", "--absolute",
                "--mde", "0.5", "--traffic-per-day", "20000", "--method", "fixed");
        long users = byMde.get("designs").get(0).get("users_total").asLong();
        // Absolute lift on a mean metric: n per arm = (z_{0.975} + z_{0.8})² · 2σ²/δ² exactly (κ = 1).
        double perArm = Math.pow(1.959963984540054 + 0.8416212335729143, 2) * 2 * 900 / 0.25;
        assertThat(users).isEqualTo(2 * (long) Math.ceil(perArm));
        JsonNode byUsers = plan("--baseline-mean", "12.5", "--baseline-variance", "900", "--absolute",
                "--users", Long.toString(users), "--traffic-per-day", "20000", "--method", "fixed");
        assertThat(byUsers.get("solve_for").asText()).isEqualTo("mde");
        assertThat(byUsers.get("designs").get(0).get("mde").asDouble()).isCloseTo(0.5, within(1e-4));
        JsonNode byDays = plan("--baseline-mean", "12.5", "--baseline-variance", "900", "--absolute",
                "--days", "7", "--traffic-per-day", "20000", "--method", "fixed,sequential,gst");
        assertThat(byDays.get("designs")).hasSize(3);
        for (JsonNode d : byDays.get("designs")) {
            assertThat(d.get("users_total").asLong()).isEqualTo(140_000);
            assertThat(d.get("days").asDouble()).isEqualTo(7);
            assertThat(d.get("achieved_power").asDouble()).isCloseTo(0.8, within(1e-6));
        }
        double fixedMde = design(byDays, "fixed").get("mde").asDouble();
        assertThat(design(byDays, "sequential").get("mde_at_best_tuning").asDouble())
                .isLessThan(design(byDays, "sequential").get("mde").asDouble());
        assertThat(design(byDays, "sequential").get("mde").asDouble()).isGreaterThan(fixedMde);
        assertThat(design(byDays, "gst").get("mde").asDouble()).isBetween(fixedMde, fixedMde * 1.02);
    }

    @Test
    void moreArmsSplitTrafficAndAlpha() throws Exception {
        JsonNode two = plan("--baseline-rate", "0.2", "--mde", "0.1", "--traffic-per-day", "5000", "--method", "fixed");
        JsonNode three = plan("--baseline-rate", "0.2", "--mde", "0.1", "--traffic-per-day", "5000", "--method", "fixed",
                "--arms", "3");
        assertThat(three.get("alpha_per_comparison").asDouble()).isEqualTo(0.025);
        assertThat(three.get("designs").get(0).get("users_per_arm")).hasSize(3);
        long perArmTwo = two.get("designs").get(0).get("users_per_arm").get(0).asLong();
        long perArmThree = three.get("designs").get(0).get("users_per_arm").get(0).asLong();
        assertThat(perArmThree).isGreaterThan(perArmTwo); // Bonferroni: α/2 per comparison
        JsonNode weighted = plan("--baseline-rate", "0.2", "--mde", "0.1", "--traffic-per-day", "5000", "--method", "fixed",
                "--weights", "0.8,0.2");
        JsonNode arms = weighted.get("designs").get(0).get("users_per_arm");
        assertThat(arms.get(0).asDouble() / arms.get(1).asDouble()).isCloseTo(4.0, within(0.01));
    }

    @Test
    void oneSidedNeedsFewerUsers() throws Exception {
        long two = design(plan("--baseline-rate", "0.05", "--mde", "0.1", "--traffic-per-day", "1000"), "fixed")
                .get("users_total").asLong();
        JsonNode lesser = design(plan("--baseline-rate", "0.05", "--mde", "0.1", "--traffic-per-day", "1000",
                "--sides", "lesser"), "fixed");
        assertThat(lesser.get("users_total").asLong()).isLessThan(two);
        assertThat(lesser.get("treatment_mean").asDouble()).isCloseTo(0.045, within(1e-12));
    }

    @Test
    void anUnreachableMdeIsReportedNotInvented() throws Exception {
        // 40 users cannot detect any relative lift of a 1 % rate with 80 % power.
        JsonNode d = plan("--baseline-rate", "0.01", "--users", "40", "--traffic-per-day", "10", "--method", "fixed")
                .get("designs").get(0);
        assertThat(d.get("mde").isNull()).isTrue();
        assertThat(d.get("error").asText()).contains("no lift is detected");
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        assertUsage(List.of("plan", "--mde", "0.05", "--traffic-per-day", "100"), "give --baseline-rate");
        assertUsage(List.of("plan", "--baseline-rate", "0.1", "--traffic-per-day", "100"), "give exactly one of --mde");
        assertUsage(List.of("plan", "--baseline-rate", "0.1", "--traffic-per-day", "100", "--mde", "0.1", "--days", "3"),
                "give exactly one of --mde");
        assertUsage(List.of("plan", "--baseline-rate", "1.5", "--traffic-per-day", "100", "--mde", "0.1"),
                "--baseline-rate must be in (0, 1)");
        assertUsage(List.of("plan", "--baseline-rate", "0.1", "--traffic-per-day", "100", "--mde", "0.1", "--method", "bayes"),
                "--method must be fixed, sequential, msprt, gst or all");
        assertUsage(List.of("plan", "--baseline-rate", "0.1", "--traffic-per-day", "100", "--mde", "0.1", "--sides", "up"),
                "--sides must be two, greater or lesser");
        assertUsage(List.of("plan", "--baseline-rate", "0.1", "--traffic-per-day", "100", "--mde", "0.1", "--power", "0.01"),
                "--power must be in (alpha, 1)");
        assertUsage(List.of("plan", "--baseline-rate", "0.1", "--traffic-per-day", "100", "--mde", "10"),
                "takes the rate outside (0, 1)");
        assertUsage(List.of("plan", "--baseline-rate", "0.1", "--traffic-per-day", "100", "--mde", "0.1", "--relative",
                "--absolute"), "--relative and --absolute exclude each other");
        assertUsage(List.of("plan", "--baseline-mean", "0", "--baseline-variance", "1", "--absolute", "--traffic-per-day",
                "100", "--mde", "0.1"), "give --msprt-tau2");
        assertUsage(List.of("plan", "--baseline-rate", "0.1", "--traffic-per-day", "100", "--mde", "0.1", "--looks", "101"),
                "--looks must be between 1 and 100");
    }

    private static void assertUsage(List<String> args, String message) {
        CliRun r = CliRun.of(args);
        assertThat(r.exitCode).as(r.out + r.err).isEqualTo(2);
        assertThat(r.err).contains(message);
        assertThat(r.err.strip().lines().count()).as(r.err).isEqualTo(1);
        assertThat(r.out).isEmpty();
    }
}
