package io.liftstream.jobs.cli;

import io.liftstream.jobs.io.InputException;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.appender.RollingFileAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * How a failed command reports itself: one line on stderr, never a stack trace. A usage error
 * (picocli's {@link ParameterException}), an invalid value ({@link IllegalArgumentException}) or an
 * unreadable input ({@link InputException}, also when a job failed because of one) exits 2 with the
 * message; anything else is an internal error: its stack trace goes to the log and the line names
 * the log file, exit 1.
 */
final class CliErrors {
    private static final Logger LOG = LoggerFactory.getLogger(CliErrors.class);

    /** Exit code of an internal error (a bug or a failed job). */
    static final int INTERNAL = 1;

    private CliErrors() {}

    /** Picocli's parameter exception handler: the message and where help is, in one line. */
    static int onParameterException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        StringBuilder line = new StringBuilder("liftstream: ").append(oneLine(e.getMessage()));
        if (e instanceof UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append("; did you mean ").append(String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size())))).append('?');
            }
        }
        line.append(" (see ").append(cmd.getCommandSpec().qualifiedName()).append(" --help)");
        PrintWriter err = cmd.getErr();
        err.println(line);
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Picocli's execution exception handler. */
    static int onExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        Optional<InputException> input = find(e, InputException.class);
        String userError = input.isPresent() ? input.get().getMessage()
                : e instanceof IllegalArgumentException ? e.getMessage() : null;
        if (userError != null) {
            err.println("liftstream: " + oneLine(userError));
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
        LOG.error("liftstream {} failed", cmd.getCommandSpec().qualifiedName(), e);
        Throwable root = root(e);
        err.println("liftstream: internal error: " + oneLine(root.getClass().getSimpleName() + ": " + root.getMessage())
                + logFile().map(f -> " (stack trace in " + f + ")").orElse(" (stack trace in the log)"));
        err.flush();
        return INTERNAL;
    }

    /** The first throwable of type {@code type} in {@code t}'s cause chain. */
    static <T extends Throwable> Optional<T> find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return Optional.of(type.cast(c));
            }
        }
        return Optional.empty();
    }

    private static Throwable root(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String oneLine(String message) {
        return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * The file the log goes to, as configured for log4j2 (the launcher passes
     * {@code flink-conf/embedded/log4j2.properties}: {@code <tmp>/liftstream/liftstream.log}); empty
     * when the log has no file (or log4j2 is not the logging backend).
     */
    static Optional<String> logFile() {
        try {
            if (LogManager.getContext(false) instanceof LoggerContext context) {
                for (Appender a : context.getConfiguration().getAppenders().values()) {
                    if (a instanceof FileAppender f) {
                        return Optional.of(f.getFileName());
                    }
                    if (a instanceof RollingFileAppender r) {
                        return Optional.of(r.getFileName());
                    }
                }
            }
        } catch (LinkageError notLog4j) {
            // flink run on a cluster with another logging backend: no file to name.
        }
        return Optional.empty();
    }
}
