package io.liftstream.jobs.io;

import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file outputs of a bounded run, shared by every job: each stream of lines is written exactly once
 * by Flink's {@link FileSink} (parts committed on checkpoints) into its own folder of a hidden staging
 * directory next to the main output; after the job, the owner reads the committed lines back
 * ({@link #lines}), orders them as its format requires, writes the final files ({@link #write}) and
 * removes the staging directory ({@link #clear}).
 */
public final class StagedFiles {
    private final Path staging;

    /** Staging for the outputs of a run whose main output file is {@code output}. */
    public StagedFiles(Path output) {
        Path absolute = output.toAbsolutePath();
        this.staging = absolute.resolveSibling("." + absolute.getFileName() + ".staging");
    }

    /** {@code file} with its extension replaced by {@code suffix} (e.g. ".dead-letters.jsonl"). */
    public static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + suffix);
    }

    /** Sinks {@code lines} into the staging folder {@code name}, from one subtask, with the given uid. */
    public void sink(DataStream<String> lines, String name, String uid) {
        FileSink<String> sink = FileSink
                .forRowFormat(new org.apache.flink.core.fs.Path(staging.resolve(name).toUri()),
                        new SimpleStringEncoder<String>(StandardCharsets.UTF_8.name()))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .build();
        lines.sinkTo(sink).setParallelism(1).name(name + " file").uid(uid);
    }

    /** The committed lines of folder {@code name}, parts in name order (empty if nothing was written). */
    public List<String> lines(String name) throws IOException {
        Path dir = staging.resolve(name);
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> parts;
        try (Stream<Path> files = Files.list(dir)) {
            parts = files.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        }
        for (Path part : parts) {
            out.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Writes a final output file, creating its directory. */
    public static void write(Path target, List<String> lines) throws IOException {
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Files.write(target, lines, StandardCharsets.UTF_8);
    }

    /** Removes the staging directory (before a run, and after {@code finish}). */
    public void clear() {
        if (!Files.exists(staging)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(staging)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
