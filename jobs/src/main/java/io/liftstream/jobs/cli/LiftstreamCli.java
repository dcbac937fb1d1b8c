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
     * The command line, with every failure reported in one line and no stack trace ({@link CliErrors}):
     * usage and input errors exit 2, internal errors exit 1 and name the log file holding the trace.
     */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new LiftstreamCli());
        cmd.setParameterExceptionHandler(CliErrors::onParameterException);
        cmd.setExecutionExceptionHandler(CliErrors::onExecutionException);
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
