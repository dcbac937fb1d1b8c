package io.liftstream.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.liftstream.jobs.env.Environments;
import io.liftstream.jobs.testkit.MiniClusters;
import io.liftstream.jobs.testkit.RealData;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every recipe of {@code sql/recipes} runs on the embedded default configuration
 * ({@code flink-conf/embedded}, tables as file directories) and prints exactly the output its
 * header comment shows under {@code -- Output:}. Recipe 04 needs ../shared/data and is skipped
 * without it.
 */
class SqlRecipesITCase {
    private static final Path RECIPES = Path.of("..", "sql", "recipes");

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    @TempDir Path dir;

    /** The lines after "-- Output:" in the header, up to the first line that is not part of a printed table. */
    static List<String> documentedOutput(String script) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : script.lines().toList()) {
            if (line.equals("-- Output:") || line.startsWith("-- Output (")) {
                in = true;
                continue;
            }
            if (in) {
                String content = line.startsWith("-- ") ? line.substring(3) : null;
                if (content == null || !(content.startsWith("+") || content.startsWith("|") || content.endsWith(" in set"))) {
                    if (out.isEmpty()) {
                        continue; // the lines of the Output heading's sentence
                    }
                    break;
                }
                out.add(content);
            }
        }
        return out;
    }

    private List<String> run(String recipe, Map<String, String> variables) throws Exception {
        Path file = RECIPES.resolve(recipe);
        Configuration conf = Environments.configuration(Path.of("..", "flink-conf", "embedded"), Map.of(
                "execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString()));
        StringWriter out = new StringWriter();
        new SqlSession(SqlSession.withDefaults(conf), new SqlSession.Options(TableBacking.files(dir.resolve("tables")), null),
                variables, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                .runFile(file, recipe);
        List<String> expected = documentedOutput(Files.readString(file));
        assertThat(expected).as("the Output block of " + recipe).isNotEmpty();
        assertThat(out.toString().lines().toList()).as(recipe).isEqualTo(expected);
        return expected;
    }

    @Test
    void everyRecipeIsTested() throws Exception {
        try (Stream<Path> files = Files.list(RECIPES)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly(
                    "01_results_from_exposures.sql", "02_srm_check.sql", "03_peeking.sql", "04_landing_page_by_country.sql",
                    "05_revenue_per_order.sql");
        }
    }

    @Test
    void recipe01ResultsFromExposures() throws Exception {
        run("01_results_from_exposures.sql", Map.of());
    }

    @Test
    void recipe02SrmCheck() throws Exception {
        run("02_srm_check.sql", Map.of());
    }

    @Test
    void recipe03Peeking() throws Exception {
        run("03_peeking.sql", Map.of());
    }

    @Test
    void recipe05RevenuePerOrder() throws Exception {
        run("05_revenue_per_order.sql", Map.of());
    }

    @Test
    void recipe04LandingPageByCountry() throws Exception {
        Path data = RealData.find("ab-test-landing-page/ab_data.csv");
        assumeTrue(data != null, "../shared/data/ab-test-landing-page is absent");
        run("04_landing_page_by_country.sql", Map.of("data_dir", data.getParent().getParent().toString()));
    }
}
