package io.liftstream.jobs.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.decisions.DecisionFileOutputs;
import io.liftstream.jobs.decisions.DecisionFiles;
import io.liftstream.jobs.decisions.DecisionJob;
import io.liftstream.jobs.decisions.DecisionLineParser;
import io.liftstream.jobs.decisions.InProcessLoop;
import io.liftstream.jobs.io.FileLines;
import io.liftstream.jobs.io.FileOutputs;
import io.liftstream.jobs.results.ResultsFileOutputs;
import io.liftstream.jobs.results.ResultsFiles;
import io.liftstream.jobs.results.ResultsJob;
import io.liftstream.jobs.triggers.TriggerJob;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The three jobs' graphs have 4096 key groups unless the configuration says otherwise, so their
 * state can be rescaled beyond Flink's derived default of 128 subtasks. (The posterior loop's
 * operators keep their explicit 1: they must run as one subtask.)
 */
class MaxParallelismTest {
    @TempDir Path dir;

    @Test
    void everyJobDefaultsTo4096KeyGroups() throws Exception {
        for (Map.Entry<String, JobGraph> job : graphs(new Configuration()).entrySet()) {
            Map<String, Integer> byVertex = maxParallelism(job.getValue());
            assertThat(byVertex).as(job.getKey()).isNotEmpty();
            assertThat(byVertex.entrySet()).as(job.getKey())
                    .allSatisfy(v -> assertThat(v.getValue()).as(v.getKey()).isIn(Environments.DEFAULT_MAX_PARALLELISM, 1));
            assertThat(byVertex.values()).as(job.getKey()).contains(Environments.DEFAULT_MAX_PARALLELISM);
        }
    }

    @Test
    void theConfigurationWins() throws Exception {
        Configuration conf = new Configuration();
        conf.setString("pipeline.max-parallelism", "128");
        for (Map.Entry<String, JobGraph> job : graphs(conf).entrySet()) {
            assertThat(maxParallelism(job.getValue()).values()).as(job.getKey()).isSubsetOf(128, 1).contains(128);
        }
    }

    private Map<String, JobGraph> graphs(Configuration conf) throws Exception {
        Path in = Files.writeString(dir.resolve("in.jsonl"), "");
        StreamExecutionEnvironment triggers = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        new TriggerJob(new FileLines(in.toString()), new FileOutputs(dir.resolve("t.jsonl"), null, null), conf).wire(triggers);

        StreamExecutionEnvironment decide = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        DecisionFiles files = new DecisionFiles().with(DecisionLineParser.REQUESTS, in).with(DecisionLineParser.EXPERIMENTS, in);
        InProcessLoop loop = new InProcessLoop();
        try {
            new DecisionJob(files, new DecisionFileOutputs(dir.resolve("d.jsonl"), null), loop, conf).wire(decide);
        } finally {
            loop.close();
        }

        StreamExecutionEnvironment results = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        new ResultsJob(new ResultsFiles(in.toString(), in.toString(), in.toString()),
                new ResultsFileOutputs(dir.resolve("r.jsonl"), null), conf).wire(results);
        return Map.of("triggers", triggers.getStreamGraph().getJobGraph(),
                "decide", decide.getStreamGraph().getJobGraph(),
                "results", results.getStreamGraph().getJobGraph());
    }

    private static Map<String, Integer> maxParallelism(JobGraph graph) {
        List<JobVertex> vertices = StreamSupport.stream(graph.getVertices().spliterator(), false).toList();
        return vertices.stream().collect(Collectors.toMap(v -> v.getName() + "#" + v.getID(), JobVertex::getMaxParallelism));
    }
}
