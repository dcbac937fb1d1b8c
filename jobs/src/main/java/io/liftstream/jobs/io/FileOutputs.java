package io.liftstream.jobs.io;

import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.triggers.TriggerJob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * JSON-lines files for a bounded run. Each stream is written exactly once by Flink's {@link FileSink}
 * into a staging directory (committed on checkpoints, the last one at the end of input); {@link
 * #finish()} then merges the parts into the requested file. Triggers are ordered by event time,
 * then trigger id, so the file is identical on every run; dead letters and late events keep input
 * order.
 */
public final class FileOutputs implements TriggerJob.Output {
    private final Path triggers;
    private final Path deadLetters;
    private final Path lateEvents;
    private final Path staging;

    /** {@code deadLetters} and {@code lateEvents} may be null: then they are written next to triggers. */
    public FileOutputs(Path triggers, Path deadLetters, Path lateEvents) {
        this.triggers = triggers.toAbsolutePath();
        this.deadLetters = deadLetters != null ? deadLetters.toAbsolutePath() : sibling(this.triggers, ".dead-letters.jsonl");
        this.lateEvents = lateEvents != null ? lateEvents.toAbsolutePath() : sibling(this.triggers, ".late.jsonl");
        this.staging = this.triggers.resolveSibling("." + this.triggers.getFileName() + ".staging");
    }

    public Path triggers() {
        return triggers;
    }

    public Path deadLetters() {
        return deadLetters;
    }

    public Path lateEvents() {
        return lateEvents;
    }

    private static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + suffix);
    }

    @Override
    public void write(TriggerJob.Streams streams) {
        deleteRecursively(staging);
        sink(streams.triggers.map(JsonLines::trigger).name("trigger json"), "triggers");
        // Rejected lines keep the parallelism of the input, so a file input's order is preserved.
        sink(streams.deadLetters.map(JsonLines::rejected).setParallelism(streams.deadLetters.getParallelism())
                .name("dead-letter json"), "dead-letters");
        sink(streams.lateEvents.map(JsonLines::rejected).setParallelism(streams.lateEvents.getParallelism())
                .name("late json"), "late");
    }

    private void sink(DataStream<String> lines, String name) {
        FileSink<String> sink = FileSink
                .forRowFormat(new org.apache.flink.core.fs.Path(staging.resolve(name).toUri()),
                        new SimpleStringEncoder<String>(StandardCharsets.UTF_8.name()))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .build();
        lines.sinkTo(sink).setParallelism(1).name(name + " file").uid(name + "-file-sink");
    }

    /** After the job finished: merge the committed parts into the output files. */
    public void finish() {
        try {
            writeSorted(parts("triggers"), triggers);
            writeInOrder(parts("dead-letters"), deadLetters);
            writeInOrder(parts("late"), lateEvents);
            deleteRecursively(staging);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Path> parts(String name) throws IOException {
        Path dir = staging.resolve(name);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        }
    }

    private static void writeInOrder(List<Path> parts, Path target) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path part : parts) {
            lines.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
        }
        write(target, lines);
    }

    private static void writeSorted(List<Path> parts, Path target) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<String[]> keyed = new ArrayList<>();
        for (Path part : parts) {
            for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                JsonNode node = mapper.readTree(line);
                keyed.add(new String[] {node.get("event_time").asText(), node.get("trigger_id").asText(), line});
            }
        }
        keyed.sort(Comparator.<String[], String>comparing(k -> k[0]).thenComparing(k -> k[1]));
        List<String> lines = new ArrayList<>(keyed.size());
        for (String[] k : keyed) {
            lines.add(k[2]);
        }
        write(target, lines);
    }

    private static void write(Path target, List<String> lines) throws IOException {
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Files.write(target, lines, StandardCharsets.UTF_8);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
