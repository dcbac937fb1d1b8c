package io.liftstream.jobs.decisions;

import static io.liftstream.jobs.decisions.DecisionFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The whole loop by hand, without a cluster: the decision operator's progress and deltas go to the
 * aggregator, whose posteriors and markers go back to the decision operator; simulated shoppers
 * convert at a rate that depends on the arm they were shown. Thompson sampling, learning only through
 * the loop, moves the traffic to the best arm.
 */
class PosteriorLoopConvergenceTest {
    static final String BANDIT = "{\"experiment_id\":\"recovery\",\"policy\":\"thompson\",\"burn_in\":30,\"min_arm_share\":0.02,"
            + "\"arms\":[{\"name\":\"none\"},{\"name\":\"reminder\"},{\"name\":\"discount\"}],"
            + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT5S\"}}";
    static final Map<String, Double> RATES = Map.of("none", 0.04, "reminder", 0.08, "discount", 0.25);

    @Test
    void thompsonConvergesOnTheBestArmThroughTheLoop() throws Exception {
        Random rnd = new Random(11);
        Map<String, Integer> late = new TreeMap<>();
        int users = 0;
        try (DecisionHarness d = new DecisionHarness(DecisionSettings.defaults(), DecisionHarness.Backend.HEAP).open();
             OneInputStreamOperatorTestHarness<LoopRecord, BroadcastItem> agg = new OneInputStreamOperatorTestHarness<>(
                     new ProcessOperator<>(new PosteriorAggregator(DecisionSettings.defaults())))) {
            agg.open();
            d.definition(BANDIT);
            d.h.processWatermark2(new Watermark(Long.MAX_VALUE));
            for (int epoch = 0; epoch < 400; epoch++) {
                long start = T0 + epoch * 1000L;
                for (int i = 0; i < 20; i++) {
                    d.request("r" + users, "shopper-" + users, "recovery", start + i * 40);
                    users++;
                }
                d.h.processWatermark1(new Watermark(start + 999));
                // Round trips until the loop is quiet.
                for (int round = 0; round < 10; round++) {
                    List<LoopRecord> records = d.loop();
                    if (records.isEmpty()) {
                        break;
                    }
                    for (LoopRecord r : records) {
                        agg.processElement(new StreamRecord<>(r));
                    }
                    for (BroadcastItem b : agg.extractOutputValues()) {
                        d.h.processElement2(new StreamRecord<>(b));
                    }
                    agg.getOutput().clear();
                }
                for (DecisionRecord r : d.drain()) {
                    if (epoch >= 300) {
                        late.merge(r.arm, 1, Integer::sum);
                    }
                    if (rnd.nextDouble() < RATES.get(r.arm)) {
                        d.order(r.userId, r.timestamp + 1500, 20);
                    }
                }
            }
        }
        int total = late.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("PosteriorLoopConvergenceTest: arms in the last 100 epochs " + late);
        assertThat(total).isGreaterThan(1500);
        assertThat(late.get("discount") / (double) total).as("share of the best arm in the last 100 epochs: %s", late)
                .isGreaterThan(0.8);
    }
}
