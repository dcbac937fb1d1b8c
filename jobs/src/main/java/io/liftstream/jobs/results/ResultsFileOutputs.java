package io.liftstream.jobs.results;

import io.liftstream.jobs.io.StagedFiles;
import io.liftstream.jobs.serde.JsonLines;

import org.apache.flink.streaming.api.datastream.DataStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * JSON-lines files of a bounded run, written by Flink's {@link FileSink} into a staging directory and
 * merged by {@link #finish()}: results ordered by {@code as_of}, then experiment id, then sequence;
 * dead letters of the decisions, then of the events, then of the experiments, each in input order, then results over the
 * 64 KiB output cap ({@code output_too_large}), sorted.
 * The same input gives byte-identical files.
 */
public final class ResultsFileOutputs implements ResultsJob.Output {
    private final Path results;
    private final Path deadLetters;
    private final StagedFiles staged;

    /** {@code deadLetters} may be null: then {@code <output>.dead-letters.jsonl}. */
    public ResultsFileOutputs(Path results, Path deadLetters) {
        this.results = results.toAbsolutePath();
        this.deadLetters = deadLetters != null ? deadLetters.toAbsolutePath() : StagedFiles.sibling(this.results, ".dead-letters.jsonl");
        this.staged = new StagedFiles(this.results);
    }

    public Path results() {
        return results;
    }

    public Path deadLetters() {
        return deadLetters;
    }

    @Override
    public void write(ResultsJob.Streams streams) {
        staged.clear();
        sink(streams.results.map(r -> sortKey(r) + "\t" + r.json).name("result lines"), "results");
        sink(streams.decisionDeadLetters.map(JsonLines::rejected).setParallelism(streams.decisionDeadLetters.getParallelism())
                .name("decision dead-letter json"), "dead-letters-decisions");
        sink(streams.eventDeadLetters.map(JsonLines::rejected).setParallelism(streams.eventDeadLetters.getParallelism())
                .name("event dead-letter json"), "dead-letters-events");
        sink(streams.experimentDeadLetters.map(JsonLines::rejected).setParallelism(streams.experimentDeadLetters.getParallelism())
                .name("experiment dead-letter json"), "dead-letters-experiments");
        sink(streams.oversized.map(JsonLines::rejected).setParallelism(streams.oversized.getParallelism())
                .name("oversized result json"), "dead-letters-oversized");
    }

    /** as_of (offset so that it sorts as text), experiment id, sequence. */
    static String sortKey(ResultRecord r) {
        return StatsDelta.sortable(r.asOf) + "\t" + r.experimentId.replace('\t', ' ') + "\t" + StatsDelta.sortable(r.sequence);
    }

    private void sink(DataStream<String> lines, String name) {
        staged.sink(lines, name, "results-" + name + "-file-sink");
    }

    /** After the job finished: merge the committed parts into the output files. */
    public void finish() {
        try {
            List<String> keyed = new ArrayList<>(staged.lines("results"));
            keyed.sort(Comparator.comparing(l -> l.substring(0, nthTab(l, 3))));
            List<String> lines = new ArrayList<>(keyed.size());
            for (String l : keyed) {
                lines.add(l.substring(nthTab(l, 3) + 1));
            }
            StagedFiles.write(results, lines);
            List<String> dead = new ArrayList<>();
            for (String stream : List.of("decisions", "events", "experiments")) {
                dead.addAll(staged.lines("dead-letters-" + stream));
            }
            List<String> oversized = staged.lines("dead-letters-oversized");
            oversized.sort(null); // results over the 64 KiB cap, from several subtasks: sorted, so every run writes the same file
            dead.addAll(oversized);
            StagedFiles.write(deadLetters, dead);
            staged.clear();
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
}
