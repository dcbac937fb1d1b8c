package io.liftstream.jobs.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real datasets of {@code ../shared/data} (tests skip when they are absent). */
public final class RealData {
    private RealData() {}

    /** {@code shared/data/<relative>} in the working directory or an ancestor, or null. */
    public static Path find(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
