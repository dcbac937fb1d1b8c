package io.liftstream.jobs.io;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * An input the job cannot read at all (for example a corrupt compressed file), with a message that
 * names it. Annotated as non-recoverable: restarting cannot mend a file, so Flink fails the job at
 * once instead of working through its restart attempts, and the command line prints the message as
 * one line (exit code 2).
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    public InputException(String message) {
        super(message);
    }
}
