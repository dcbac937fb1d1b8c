package io.liftstream.jobs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The paths of one command run, checked before any job starts, so that a mistake costs one line
 * and exit code 2 instead of a job's restart attempts (or a destroyed input). Inputs must exist and
 * be readable; outputs must not be directories (or files, for an output directory) and their
 * directory must exist or be creatable; and no output may be an input, lie inside an input
 * directory, or be another output of the same run. Paths are compared by their real paths (links
 * and {@code ..} resolved), so {@code ./f} and {@code dir/../f} are the same file.
 *
 * <p>Each method takes the option's name for the message and ignores a null path (an option not
 * given); {@link #check()} throws an {@link IllegalArgumentException} whose message names the
 * option, the path and the problem.
 */
final class PathChecks {
    private enum Kind { FILE, FILE_OR_DIR, DIR }

    private record Entry(String option, Path path, Kind kind) {}

    private final List<Entry> inputs = new ArrayList<>();
    private final List<Entry> outputs = new ArrayList<>();

    /** An input that must be a regular file. */
    PathChecks inputFile(String option, Path path) {
        return add(inputs, option, path, Kind.FILE);
    }

    /** An input that is a file or a directory of files. */
    PathChecks inputFileOrDir(String option, String path) {
        return add(inputs, option, path == null ? null : Path.of(path), Kind.FILE_OR_DIR);
    }

    /** An input directory. */
    PathChecks inputDir(String option, Path path) {
        return add(inputs, option, path, Kind.DIR);
    }

    /** An output file, created or replaced. */
    PathChecks outputFile(String option, Path path) {
        return add(outputs, option, path, Kind.FILE);
    }

    /** An output directory, created if absent. */
    PathChecks outputDir(String option, Path path) {
        return add(outputs, option, path, Kind.DIR);
    }

    private PathChecks add(List<Entry> list, String option, Path path, Kind kind) {
        if (path != null) {
            list.add(new Entry(option, path, kind));
        }
        return this;
    }

    /** Checks every path; the first problem found is thrown. */
    void check() {
        for (Entry in : inputs) {
            checkInput(in);
        }
        for (Entry out : outputs) {
            checkOutput(out);
        }
        List<Entry> seen = new ArrayList<>();
        for (Entry out : outputs) {
            Path real = real(out.path);
            for (Entry in : inputs) {
                Path input = real(in.path);
                if (real.equals(input)) {
                    throw problem(out, "is also " + in.option + ": refusing to overwrite an input");
                }
                if (Files.isDirectory(input) && real.startsWith(input)) {
                    throw problem(out, "is inside the " + in.option + " directory " + in.path
                            + ": it would be read as input; write it elsewhere");
                }
            }
            for (Entry other : seen) {
                if (real.equals(real(other.path))) {
                    throw problem(out, "is also " + other.option + ": give each output its own file");
                }
            }
            seen.add(out);
        }
    }

    private static void checkInput(Entry in) {
        Path p = in.path;
        if (!Files.exists(p)) {
            throw problem(in, in.kind == Kind.DIR ? "no such directory" : in.kind == Kind.FILE ? "no such file" : "no such file or directory");
        }
        if (in.kind == Kind.FILE && !Files.isRegularFile(p)) {
            throw problem(in, Files.isDirectory(p) ? "is a directory, not a file" : "is not a regular file");
        }
        if (in.kind == Kind.DIR && !Files.isDirectory(p)) {
            throw problem(in, "is not a directory");
        }
        if (!Files.isReadable(p)) {
            throw problem(in, "is not readable");
        }
    }

    private static void checkOutput(Entry out) {
        Path p = out.path.toAbsolutePath().normalize();
        if (out.kind == Kind.FILE && Files.isDirectory(p)) {
            throw problem(out, "is a directory; give a file name");
        }
        if (out.kind == Kind.DIR && Files.exists(p) && !Files.isDirectory(p)) {
            throw problem(out, "is a file; give a directory");
        }
        if (Files.exists(p) && !Files.isWritable(p)) {
            throw problem(out, "is not writable");
        }
        Path dir = out.kind == Kind.DIR ? p : p.getParent();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw problem(out, "cannot be created: no part of its directory exists");
        }
        if (!Files.isDirectory(existing)) {
            throw problem(out, "cannot be created: " + existing + " is a file, not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw problem(out, existing.equals(dir) ? "cannot be written: directory " + existing + " is not writable"
                    : "cannot be created: directory " + existing + " is not writable");
        }
    }

    /** The real path of {@code p}: of its longest existing prefix, then the rest as given. */
    static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }

    private static IllegalArgumentException problem(Entry e, String what) {
        return new IllegalArgumentException(e.option + " " + e.path + ": " + what);
    }
}
