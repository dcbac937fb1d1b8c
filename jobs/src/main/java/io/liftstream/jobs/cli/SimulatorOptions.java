package io.liftstream.jobs.cli;

import io.liftstream.jobs.demo.SimulatorSettings;
import io.liftstream.jobs.input.EventTimeOptions;

import org.apache.flink.configuration.ReadableConfig;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options of the shop simulator, shared by {@code demo} and {@code bench}. */
public class SimulatorOptions {
    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    @Option(names = "--shoppers", converter = OptionValues.PositiveInt.class, defaultValue = "20000",
            description = "Simulated shoppers (about 8 events each). Default: ${DEFAULT-VALUE}.")
    int shoppers;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed: same seed, same events. Default: ${DEFAULT-VALUE}.")
    long seed;

    /** The simulator's settings, its late events placed against the configured out-of-orderness. */
    SimulatorSettings settings(ReadableConfig conf) {
        try {
            return SimulatorSettings.builder().seed(seed).shoppers(shoppers)
                    .forOutOfOrderness(conf.get(EventTimeOptions.OUT_OF_ORDERNESS)).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
