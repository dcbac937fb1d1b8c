package io.liftstream.jobs.cli;

import io.liftstream.experiments.assignment.Assignment;
import io.liftstream.experiments.assignment.ExperimentAssigner;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.jobs.experiments.AssignmentJson;
import io.liftstream.jobs.experiments.ExperimentDefinitionJson;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code liftstream assign}: where users land in an experiment, GrowthBook-compatible. Reads one
 * experiment definition and a file of user ids; no Flink involved.
 */
@Command(name = "assign", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Deterministic, GrowthBook-compatible assignment of users to an experiment's arms.",
            "Prints one JSON line per user: user_id, bucket (the hash value in [0,1)), arm (null when",
            "outside the coverage or the namespace) and in_holdout (global holdout, or the experiment's",
            "own holdout_pct for users in it). A held-out user still shows the arm the bucketing gives;",
            "the decision job serves them no treatment."
        })
public final class AssignCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--experiment", required = true, paramLabel = "FILE",
            description = "The experiment definition: one JSON object (fields in README, 'Assignment and bandits').")
    Path experiment;

    @Option(names = "--users", required = true, paramLabel = "FILE",
            description = "User ids, one per line (blank lines are skipped and counted).")
    Path users;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the JSON lines here (replaced); default stdout.")
    Path output;

    @Option(names = "--global-holdout", paramLabel = "PCT", defaultValue = "0",
            description = "Percent of all users in the global holdout (the long-term control). Default: ${DEFAULT-VALUE}.")
    double globalHoldoutPct;

    @Override
    public Integer call() throws IOException {
        new PathChecks().inputFile("--experiment", experiment).inputFile("--users", users).outputFile("--output", output).check();
        ExperimentDefinition definition;
        try {
            definition = ExperimentDefinitionJson.parse(Files.readString(experiment, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid experiment definition in " + experiment + ": " + e.getMessage());
        }
        ExperimentAssigner assigner = new ExperimentAssigner(definition, globalHoldoutPct);
        int arms = definition.arms().size();
        long[] perArm = new long[arms];
        long total = 0;
        long outside = 0;
        long held = 0;
        long blank = 0;
        PrintWriter out = spec.commandLine().getOut();
        try (BufferedReader in = Files.newBufferedReader(users, StandardCharsets.UTF_8);
             Writer sink = output == null ? null : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            Writer w = sink == null ? out : sink;
            for (String line; (line = in.readLine()) != null; ) {
                String userId = line.strip();
                if (userId.isEmpty()) {
                    blank++;
                    continue;
                }
                Assignment a = assigner.assign(userId);
                w.write(AssignmentJson.write(a));
                w.write('\n');
                total++;
                if (a.inExperiment()) {
                    perArm[a.armIndex()]++;
                } else {
                    outside++;
                }
                held += a.inHoldout() ? 1 : 0;
            }
            w.flush();
        }
        // The summary goes where it does not mix with the JSON lines.
        PrintWriter summary = output == null ? spec.commandLine().getErr() : out;
        summary.printf("experiment %s: %d users, hash v%d, seed '%s', coverage %s%n", definition.experimentId(), total,
                definition.hashVersion().number, definition.seed(), definition.coverage());
        for (int i = 0; i < arms; i++) {
            summary.printf("  %-20s %d (%.2f%%)%n", definition.arms().get(i).name(), perArm[i], pct(perArm[i], total));
        }
        summary.printf("  %-20s %d (%.2f%%)%n", "outside (arm null)", outside, pct(outside, total));
        summary.printf("  %-20s %d (%.2f%%)%n", "in_holdout", held, pct(held, total));
        if (blank > 0) {
            summary.printf("  skipped %d blank lines%n", blank);
        }
        if (output != null) {
            summary.println("written to " + output.toAbsolutePath());
        }
        summary.flush();
        return 0;
    }

    private static double pct(long n, long total) {
        return total == 0 ? 0 : 100.0 * n / total;
    }
}
