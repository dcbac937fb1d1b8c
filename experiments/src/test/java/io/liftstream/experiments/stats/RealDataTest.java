package io.liftstream.experiments.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Known results recomputed from the real datasets in ../shared/data (skipped when absent).
 *
 * <ul>
 *   <li>Landing page A/B test: after dropping the rows whose group and page disagree and the one
 *       duplicated user, 145,274 control users convert at 12.04% and 145,310 treatment users at
 *       11.88%; the widely reproduced z-test of "new page converts better" gives z ≈ −1.31 and a
 *       one-sided p-value of 0.905 (two-sided 0.19): no evidence for the new page.</li>
 *   <li>Cookie Cats: 7-day retention 19.02% with the gate at level 30 against 18.20% at level 40
 *       (44,700 and 45,489 players), the well-known finding that moving the gate lowers retention.</li>
 * </ul>
 */
class RealDataTest {

    static Path data(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void landingPageNewPageDoesNotConvertBetter() throws IOException {
        Path csv = data("ab-test-landing-page/ab_data.csv");
        assumeTrue(csv != null, "../shared/data/ab-test-landing-page is absent");
        SampleStats control = SampleStats.EMPTY;
        SampleStats treatment = SampleStats.EMPTY;
        Set<String> seen = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(csv)) {
            r.readLine();
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(",");
                boolean isTreatment = f[2].equals("treatment");
                if (isTreatment != f[3].equals("new_page") || !seen.add(f[0])) {
                    continue; // dirty row: group and page disagree, or a repeated user
                }
                double converted = Double.parseDouble(f[4]);
                if (isTreatment) {
                    treatment = treatment.add(converted);
                } else {
                    control = control.add(converted);
                }
            }
        }
        assertThat(control.n()).isEqualTo(145_274);
        assertThat(treatment.n()).isEqualTo(145_310);
        AnalysisResult result = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.PROPORTION)
                .method(Method.FIXED).relative(false).sides(Sides.GREATER)
                .arms(List.of(ArmInput.of("old_page", control), ArmInput.of("new_page", treatment))).build());
        AnalysisResult.Comparison c = result.comparisons().get(0);
        assertThat(c.pValue()).isCloseTo(0.905, within(0.0005));
        assertThat(c.expected() / c.se()).isCloseTo(-1.31, within(0.005));
        assertThat(c.significant()).isFalse();
        // Nor does an always-valid method see anything, and the split is as planned (50/50).
        AnalysisResult seq = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.PROPORTION)
                .method(Method.SEQUENTIAL)
                .arms(List.of(ArmInput.of("old_page", control), ArmInput.of("new_page", treatment))).build());
        assertThat(seq.comparisons().get(0).significant()).isFalse();
        assertThat(seq.srmPValue()).isGreaterThan(0.05);
    }

    @Test
    void cookieCatsGateAtFortyLowersSevenDayRetention() throws IOException {
        Path csv = data("cookie-cats/cookie_cats.csv");
        assumeTrue(csv != null, "../shared/data/cookie-cats is absent");
        SampleStats gate30 = SampleStats.EMPTY;
        SampleStats gate40 = SampleStats.EMPTY;
        try (BufferedReader r = Files.newBufferedReader(csv)) {
            r.readLine();
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(",");
                double retained = f[4].equals("True") ? 1 : 0;
                if (f[1].equals("gate_30")) {
                    gate30 = gate30.add(retained);
                } else {
                    gate40 = gate40.add(retained);
                }
            }
        }
        assertThat(gate30.n()).isEqualTo(44_700);
        assertThat(gate40.n()).isEqualTo(45_489);
        assertThat(gate30.mean()).isCloseTo(0.1902, within(0.00005));
        assertThat(gate40.mean()).isCloseTo(0.1820, within(0.00005));
        List<ArmInput> arms = List.of(ArmInput.of("gate_30", gate30), ArmInput.of("gate_40", gate40));
        AnalysisResult.Comparison fixed = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.PROPORTION)
                .method(Method.FIXED).arms(arms).build()).comparisons().get(0);
        assertThat(fixed.expected()).isNegative();
        assertThat(fixed.significant()).isTrue();
        AnalysisResult.Comparison bayes = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.PROPORTION)
                .method(Method.BAYESIAN).arms(arms).build()).comparisons().get(0);
        assertThat(bayes.chanceToWin()).isLessThan(0.01);
        assertThat(bayes.riskTreatment()).isGreaterThan(bayes.riskControl());
    }
}
