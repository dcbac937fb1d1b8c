package io.liftstream.experiments.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Logged propensities of the Open Bandit Dataset (Saito et al., "Open Bandit Dataset and Pipeline",
 * NeurIPS 2021 Datasets track; ZOZOTOWN, 10,000-row samples in {@code ../shared/data/open-bandit-dataset}),
 * logged by a uniform-random and a Bernoulli Thompson sampling policy. Skipped when the data is absent.
 *
 * <p>The property checked is the one off-policy evaluation relies on, for their logs and for ours: if
 * π(a) is the true probability with which the logged action a was chosen, E[1/π(A)] = Σ_a π(a)/π(a) =
 * K, the number of arms. The same identity holds for our decisions ({@link BanditAllocatorTest}).
 */
class OpenBanditDatasetTest {
    record Row(int item, int position, boolean click, double propensity) {}

    private static Path dataset() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data/open-bandit-dataset");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            Path sibling = dir.resolve("../shared/data/open-bandit-dataset").normalize();
            if (Files.isDirectory(sibling)) {
                return sibling;
            }
        }
        return null;
    }

    private static List<Row> read(String policy, String campaign) throws IOException {
        Path data = dataset();
        assumeTrue(data != null, "open-bandit-dataset not found above " + Path.of("").toAbsolutePath());
        Path file = data.resolve(policy).resolve(campaign).resolve(campaign + ".csv");
        assumeTrue(Files.isRegularFile(file), "missing " + file);
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String[] header = in.readLine().split(",", -1);
            assertThat(header).startsWith("", "timestamp", "item_id", "position", "click", "propensity_score");
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split(",", 7);
                rows.add(new Row(Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4].equals("1"),
                        Double.parseDouble(f[5])));
            }
        }
        return rows;
    }

    private static int items(String campaign) {
        return campaign.equals("men") ? 34 : 46; // the dataset README: item ids 0-33 (men), 0-45 (women)
    }

    @Test
    void uniformLogsHaveExactlyTheUniformPolicysPropensity() throws IOException {
        for (String campaign : List.of("men", "women")) {
            List<Row> rows = read("random", campaign);
            int k = items(campaign);
            assertThat(rows).hasSize(10_000);
            BetaBernoulliPosteriors any = BetaBernoulliPosteriors.of(emptyStats(k));
            double ours = new UniformPolicy().probability(any, 0);
            for (Row r : rows) {
                assertThat(r.item()).isBetween(0, k - 1);
                assertThat(r.propensity()).isEqualTo(ours);
            }
        }
    }

    @Test
    void thompsonLogsSatisfyTheInversePropensityIdentity() throws IOException {
        for (String campaign : List.of("men", "women")) {
            List<Row> rows = read("bts", campaign);
            int k = items(campaign);
            double maxInverse = 0;
            for (int position = 1; position <= 3; position++) {
                double sum = 0;
                double sumSq = 0;
                int n = 0;
                for (Row r : rows) {
                    if (r.position() == position) {
                        assertThat(r.propensity()).isGreaterThan(0).isLessThanOrEqualTo(1);
                        double w = 1 / r.propensity();
                        sum += w;
                        sumSq += w * w;
                        n++;
                        maxInverse = Math.max(maxInverse, w);
                    }
                }
                double mean = sum / n;
                double se = Math.sqrt((sumSq / n - mean * mean) / n);
                assertThat(mean).as("%s position %d: mean 1/propensity", campaign, position).isCloseTo(k, within(3 * se));
            }
            // Without a floor, logged propensities go down to 1e-4..1e-6, so single inverse-propensity
            // weights exceed 1,000: what min_arm_share prevents (1/propensity <= 1/floor = 100).
            assertThat(maxInverse).isGreaterThan(1_000);
        }
    }

    @Test
    void replayOfTheUniformLogMatchesAboutOneRowInK() throws IOException {
        // Li, Chu, Langford and Wang, "Unbiased offline evaluation of contextual-bandit-based news article
        // recommendation algorithms", WSDM 2011, Algorithm 3: on a uniformly logged stream, keep the rows
        // where our policy picks the logged arm; those rows are an unbiased sample of our policy's play.
        List<Row> rows = read("random", "men");
        int k = items("men");
        ConversionStats[] stats = emptyStats(k);
        BanditAllocator thompson = new BanditAllocator(new ThompsonPolicy(), new BanditSettings(0.01, 0));
        SplittableRandom rng = new SplittableRandom(2021);
        int matches = 0;
        int clicks = 0;
        for (Row r : rows) {
            if (r.position() != 1) {
                continue;
            }
            int arm = thompson.choose(BetaBernoulliPosteriors.of(stats), rng);
            if (arm == r.item()) {
                matches++;
                clicks += r.click() ? 1 : 0;
                stats[arm] = stats[arm].add(r.click());
            }
        }
        long positionOne = rows.stream().filter(r -> r.position() == 1).count();
        double expected = positionOne / (double) k;
        assertThat((double) matches).isCloseTo(expected, within(5 * Math.sqrt(expected)));
        assertThat(clicks).isBetween(0, matches);
    }

    private static ConversionStats[] emptyStats(int k) {
        ConversionStats[] s = new ConversionStats[k];
        java.util.Arrays.fill(s, ConversionStats.EMPTY);
        return s;
    }
}
