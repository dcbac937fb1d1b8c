package io.liftstream.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./liftstream <command>}: the one entry point users type. */
@Command(name = "liftstream",
        mixinStandardHelpOptions = true,
        versionProvider = LiftstreamCli.Version.class,
        description = "Real-time marketing triggers, decisions and experiment measurement on Apache Flink.",
        subcommands = {
            DemoCommand.class,
            TriggersCommand.class,
            ConvertCommand.class,
            BenchCommand.class,
            AnalyzeCommand.class,
            SimulateCommand.class,
            AssignCommand.class,
            DecideCommand.class,
            SqlCommand.class,
            ResultsCommand.class,
            PlanCommand.class,
            CommandLine.HelpCommand.class
        })
public final class LiftstreamCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command line, with invalid options (an {@link IllegalArgumentException} from validating
     * the configuration) reported as a usage error: the message, no stack trace, exit code 2.
     */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new LiftstreamCli());
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("liftstream: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            throw e;
        });
        return cmd;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = LiftstreamCli.class.getPackage().getImplementationVersion();
            return new String[] {"liftstream " + (v == null ? "dev" : v) + " (Flink 2.2)"};
        }
    }
}
