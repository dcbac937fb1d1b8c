package io.liftstream.jobs.results;

import io.liftstream.jobs.serde.JsonLines;

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
 * JSON-lines files of a bounded run, written by Flink's {@link FileSink} into a staging directory and
 * merged by {@link #finish()}: results ordered by {@code as_of}, then experiment id, then sequence;
 * dead letters of the decisions, then of the events, then of the experiments, each in input order.
 * The same input gives byte-identical files.
 */
public final class ResultsFileOutputs implements ResultsJob.Output {
    private final Path results;
    private final Path deadLetters;
    private final Path staging;

    /** {@code deadLetters} may be null: then {@code <output>.dead-letters.jsonl}. */
    public ResultsFileOutputs(Path results, Path deadLetters) {
        this.results = results.toAbsolutePath();
        this.deadLetters = deadLetters != null ? deadLetters.toAbsolutePath() : sibling(this.results, ".dead-letters.jsonl");
        this.staging = this.results.resolveSibling("." + this.results.getFileName() + ".staging");
    }

    public Path results() {
        return results;
    }

    public Path deadLetters() {
        return deadLetters;
    }

    private static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + suffix);
    }

    @Override
    public void write(ResultsJob.Streams streams) {
        deleteRecursively(staging);
        sink(streams.results.map(r -> sortKey(r) + "\t" + r.json).name("result lines"), "results");
        sink(streams.decisionDeadLetters.map(JsonLines::rejected).setParallelism(streams.decisionDeadLetters.getParallelism())
                .name("decision dead-letter json"), "dead-letters-decisions");
        sink(streams.eventDeadLetters.map(JsonLines::rejected).setParallelism(streams.eventDeadLetters.getParallelism())
                .name("event dead-letter json"), "dead-letters-events");
        sink(streams.experimentDeadLetters.map(JsonLines::rejected).setParallelism(streams.experimentDeadLetters.getParallelism())
                .name("experiment dead-letter json"), "dead-letters-experiments");
    }

    /** as_of (offset so that it sorts as text), experiment id, sequence. */
    static String sortKey(ResultRecord r) {
        return StatsDelta.sortable(r.asOf) + "\t" + r.experimentId.replace('\t', ' ') + "\t" + StatsDelta.sortable(r.sequence);
    }

    private void sink(DataStream<String> lines, String name) {
        FileSink<String> sink = FileSink
                .forRowFormat(new org.apache.flink.core.fs.Path(staging.resolve(name).toUri()),
                        new SimpleStringEncoder<String>(StandardCharsets.UTF_8.name()))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .build();
        lines.sinkTo(sink).setParallelism(1).name(name + " file").uid("results-" + name + "-file-sink");
    }

    /** After the job finished: merge the committed parts into the output files. */
    public void finish() {
        try {
            List<String> keyed = new ArrayList<>();
            for (Path part : parts("results")) {
                keyed.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
            }
            keyed.sort(Comparator.comparing(l -> l.substring(0, nthTab(l, 3))));
            List<String> lines = new ArrayList<>(keyed.size());
            for (String l : keyed) {
                lines.add(l.substring(nthTab(l, 3) + 1));
            }
            write(results, lines);
            List<String> dead = new ArrayList<>();
            for (String stream : List.of("decisions", "events", "experiments")) {
                for (Path part : parts("dead-letters-" + stream)) {
                    dead.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
                }
            }
            write(deadLetters, dead);
            deleteRecursively(staging);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int nthTab(String s, int n) {
        int i = -1;
        for (int k = 0; k < n; k++) {
            i = s.indexOf('\t', i + 1);
        }
        return i;
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
