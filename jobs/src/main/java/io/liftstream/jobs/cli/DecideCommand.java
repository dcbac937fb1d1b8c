package io.liftstream.jobs.cli;

import io.liftstream.experiments.decision.DecisionReason;
import io.liftstream.jobs.decisions.DecisionCounter;
import io.liftstream.jobs.decisions.DecisionFileOutputs;
import io.liftstream.jobs.decisions.DecisionFiles;
import io.liftstream.jobs.decisions.DecisionJob;
import io.liftstream.jobs.decisions.DecisionLineParser;
import io.liftstream.jobs.decisions.DecisionSplitter;
import io.liftstream.jobs.decisions.InProcessLoop;
import io.liftstream.jobs.env.Environments;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code liftstream decide}: the decision job over files, a bounded and deterministic run. The
 * posterior loop runs in process.
 */
@Command(name = "decide", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Answer decision requests and triggers with sticky A/B, holdout and bandit decisions.",
            "Bounded: the same inputs give byte-identical decisions. Streams are joined in event time.",
            "Options: -D liftstream.decide.posterior-interval=1s, liftstream.decide.state-retention=30d,",
            "liftstream.decide.global-holdout-pct=0, liftstream.events.out-of-orderness=10s."
        })
public final class DecideCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FlinkOptions flink;

    @Option(names = "--requests", paramLabel = "FILE",
            description = "Decision requests {request_id, user_id, experiment_id, timestamp, context}; trigger records are accepted too.")
    Path requests;

    @Option(names = "--triggers", paramLabel = "FILE",
            description = "Trigger records of `liftstream triggers`: each is a request for every experiment whose trigger is its type.")
    Path triggers;

    @Option(names = "--experiments", required = true, paramLabel = "FILE",
            description = "Experiment definitions, one JSON object a line: a changelog keyed by experiment_id.")
    Path experiments;

    @Option(names = "--events", paramLabel = "FILE", description = "Segment track events: outcomes for reward attribution.")
    Path events;

    @Option(names = "--control", paramLabel = "FILE", description = "Consent, suppression and delete_user events.")
    Path control;

    @Option(names = "--output", required = true, paramLabel = "FILE",
            description = "Decisions as JSON lines, ordered by timestamp then decision_id.")
    Path output;

    @Option(names = "--dead-letter", paramLabel = "FILE",
            description = "Rejected lines with stream and reason (default: <output>.dead-letters.jsonl).")
    Path deadLetter;

    @Override
    public Integer call() throws Exception {
        if (requests == null && triggers == null) {
            throw new ParameterException(spec.commandLine(), "give --requests FILE and/or --triggers FILE");
        }
        for (Path p : new Path[] {requests, triggers, experiments, events, control}) {
            if (p != null && !Files.exists(p)) {
                throw new ParameterException(spec.commandLine(), "no such file: " + p);
            }
        }
        Configuration conf = flink.configuration();
        DecisionFiles in = new DecisionFiles()
                .with(DecisionLineParser.REQUESTS, requests)
                .with(DecisionLineParser.TRIGGERS, triggers)
                .with(DecisionLineParser.EXPERIMENTS, experiments)
                .with(DecisionLineParser.EVENTS, events)
                .with(DecisionLineParser.CONTROL, control);
        DecisionFileOutputs out = new DecisionFileOutputs(output, deadLetter);
        InProcessLoop loop = new InProcessLoop();
        JobExecutionResult result;
        try {
            result = new DecisionJob(in, out, loop, conf).run(Environments.create(conf));
        } finally {
            loop.close();
        }
        out.finish();
        PrintWriter w = spec.commandLine().getOut();
        w.printf("lines read:     %d%n", count(result, DecisionSplitter.LINES));
        w.printf("dead-lettered:  %d%n", count(result, DecisionSplitter.DEAD));
        long total = 0;
        for (DecisionReason r : DecisionReason.values()) {
            total += count(result, DecisionCounter.name(r));
        }
        w.printf("decisions:      %d%n", total);
        for (DecisionReason r : DecisionReason.values()) {
            w.printf("  %-20s %d%n", r.wireName, count(result, DecisionCounter.name(r)));
        }
        w.println("decisions written to " + out.decisions());
        w.println("dead letters to " + out.deadLetters());
        w.flush();
        return 0;
    }

    private static long count(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
