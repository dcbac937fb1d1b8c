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
            CommandLine.HelpCommand.class
        })
public final class LiftstreamCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new LiftstreamCli()).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = LiftstreamCli.class.getPackage().getImplementationVersion();
            return new String[] {"liftstream " + (v == null ? "dev" : v) + " (Flink 2.2)"};
        }
    }
}
