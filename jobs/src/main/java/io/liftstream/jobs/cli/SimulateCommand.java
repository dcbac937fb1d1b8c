package io.liftstream.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code liftstream simulate <what>}: seeded Monte Carlo simulations for planning experiments
 * (A/A false positive rates of the statistics, regret of the bandit policies).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Seeded simulations of the statistics and bandit policies; prints one JSON object.",
        subcommands = {SimulateAaCommand.class, SimulateBanditCommand.class})
public final class SimulateCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a simulation");
    }
}
