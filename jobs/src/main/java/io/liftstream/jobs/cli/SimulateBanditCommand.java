package io.liftstream.jobs.cli;

import io.liftstream.experiments.bandit.BanditSettings;
import io.liftstream.experiments.bandit.PolicyType;
import io.liftstream.experiments.bandit.RegretSimulator;
import io.liftstream.experiments.bandit.SimulationResult;
import io.liftstream.experiments.bandit.SimulationSettings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code liftstream simulate bandit}: cumulative regret of a bandit policy on Bernoulli arms with known
 * rates ({@link RegretSimulator}), next to the Lai–Robbins bound. Pure Java, seeded, no Flink.
 */
@Command(name = "bandit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Regret of a bandit policy on Bernoulli arms with known true rates; prints one JSON object:",
            "policy, horizon, runs, regret_mean, regret_se, allocation, lai_robbins_bound, then the settings.",
            "Regret is the sum over rounds of the best arm's true rate minus the chosen arm's, averaged over runs.",
            "Rewards may arrive late (--delay) and posteriors refresh in batches (--batch), as in a stream."
        })
public final class SimulateBanditCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec CommandSpec spec;

    @Option(names = "--policy", required = true, paramLabel = "NAME",
            description = "thompson, top_two, ucb1, epsilon_greedy or uniform.")
    String policy;

    @Option(names = "--arms", required = true, split = ",", paramLabel = "RATE",
            description = "True conversion rates of the arms, comma-separated, e.g. 0.04,0.05,0.06.")
    double[] arms;

    @Option(names = "--horizon", defaultValue = "100000", description = "Rounds per run. Default: ${DEFAULT-VALUE}.")
    long horizon;

    @Option(names = "--seed", defaultValue = "1", description = "Seed: same seed, same result. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--batch", converter = OptionValues.PositiveInt.class, defaultValue = "1", paramLabel = "N",
            description = "Posteriors refresh every N rounds. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--delay", converter = OptionValues.NonNegativeInt.class, defaultValue = "0", paramLabel = "N",
            description = "Rewards arrive N rounds after their decision. Default: ${DEFAULT-VALUE}.")
    int delay;

    @Option(names = "--runs", converter = OptionValues.PositiveInt.class, defaultValue = "10", paramLabel = "R",
            description = "Independent runs averaged. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--min-arm-share", defaultValue = "0.01", paramLabel = "F",
            description = "Floor per arm, as in an experiment definition. Default: ${DEFAULT-VALUE}.")
    double minArmShare;

    @Option(names = "--burn-in", converter = OptionValues.NonNegativeInt.class, defaultValue = "100", paramLabel = "N",
            description = "Uniform until every arm has N observations. Default: ${DEFAULT-VALUE}.")
    int burnIn;

    @Override
    public Integer call() {
        PolicyType type = PolicyType.of(policy);
        SimulationResult r = RegretSimulator.run(new SimulationSettings(type, arms, horizon, seed, batch, delay, runs,
                new BanditSettings(minArmShare, burnIn)));
        ObjectNode o = MAPPER.createObjectNode();
        o.put("policy", type.wireName);
        o.put("horizon", horizon);
        o.put("runs", runs);
        o.put("regret_mean", round(r.regretMean(), 2));
        o.put("regret_se", round(r.regretSe(), 2));
        ArrayNode allocation = o.putArray("allocation");
        for (double a : r.allocation()) {
            allocation.add(round(a, 5));
        }
        o.put("lai_robbins_bound", round(r.laiRobbinsBound(), 2));
        ArrayNode rates = o.putArray("arms");
        for (double a : arms) {
            rates.add(a);
        }
        o.put("seed", seed);
        o.put("batch", batch);
        o.put("delay", delay);
        o.put("min_arm_share", minArmShare);
        o.put("burn_in", burnIn);
        spec.commandLine().getOut().println(o);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static double round(double x, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(x * scale) / scale;
    }
}
