package io.liftstream.jobs.decisions.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.decision.RewardTally;
import io.liftstream.jobs.decisions.ArmTally;
import io.liftstream.jobs.decisions.BroadcastItem;
import io.liftstream.jobs.decisions.DecisionLine;
import io.liftstream.jobs.decisions.DecisionLineParser;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The loop topic's records round-trip exactly; tombstones on the input topics. */
class LoopMessagesTest {

    @Test
    void posteriorsRoundTripExactlyWithTheExperimentAsKey() {
        RewardTally revenue = new RewardTally().add(19.99).add(1e11).add(0.0001);
        RewardTally control = new RewardTally().add(1).add(0);
        BroadcastItem p = BroadcastItem.posterior("upsell", 1_700_000_000_000L,
                List.of(new ArmTally("bundle", revenue), new ArmTally(null, control)));
        BroadcastItem back = LoopMessages.parse(LoopMessages.value(p));
        assertThat(back.kind).isEqualTo(BroadcastItem.POSTERIOR);
        assertThat(back.experimentId).isEqualTo("upsell");
        assertThat(back.boundary).isEqualTo(1_700_000_000_000L);
        assertThat(back.arms).hasSize(2);
        assertThat(back.arms.get(0).arm).isEqualTo("bundle");
        assertThat(back.arms.get(0).tally).isEqualTo(revenue);
        assertThat(back.arms.get(0).tally.sum()).isEqualTo(revenue.sum());
        assertThat(back.arms.get(1).arm).isNull();
        assertThat(back.arms.get(1).tally).isEqualTo(control);
        assertThat(new String(LoopMessages.key("run1", p), StandardCharsets.UTF_8)).isEqualTo("run1\u0000upsell");
        assertThat(LoopMessages.run(LoopMessages.key("run1", p))).isEqualTo("run1");
        assertThat(LoopMessages.name(LoopMessages.key("run1", p))).isEqualTo("upsell");
    }

    /** Keys written before run ids (experiment id, or a reserved name starting with NUL) belong to the legacy run. */
    @Test
    void keysWithoutARunAreTheLegacyRun() {
        byte[] posterior = "upsell".getBytes(StandardCharsets.UTF_8);
        byte[] end = LoopMessages.END_KEY.getBytes(StandardCharsets.UTF_8);
        assertThat(LoopMessages.run(posterior)).isEqualTo(LoopMessages.LEGACY_RUN);
        assertThat(LoopMessages.name(posterior)).isEqualTo("upsell");
        assertThat(LoopMessages.run(end)).isEqualTo(LoopMessages.LEGACY_RUN);
        assertThat(LoopMessages.isEnd(end)).isTrue();
    }

    @Test
    void markersAndTheEndUseReservedKeys() {
        BroadcastItem m = LoopMessages.parse(LoopMessages.value(BroadcastItem.marker(Long.MAX_VALUE)));
        assertThat(m.kind).isEqualTo(BroadcastItem.MARKER);
        assertThat(m.boundary).isEqualTo(Long.MAX_VALUE);
        assertThat(LoopMessages.isEnd(LoopMessages.key("r", BroadcastItem.marker(5)))).isFalse();
        assertThat(LoopMessages.isEnd(LoopMessages.key("r", BroadcastItem.end()))).isTrue();
        assertThat(LoopMessages.run(LoopMessages.key("r", BroadcastItem.end()))).isEqualTo("r");
        assertThat(LoopMessages.parse(LoopMessages.value(BroadcastItem.end())).kind).isEqualTo(BroadcastItem.END);
        assertThatThrownBy(() -> LoopMessages.parse("{\"kind\":\"other\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("unknown loop message kind: other");
    }

    @Test
    void aTombstoneRemovesItsExperimentAtTheRecordTimeAndIsADeadLetterElsewhere() {
        DecisionLineParser parser = new DecisionLineParser();
        DecisionLine removed = KafkaDecisionInputs.parse(DecisionLineParser.EXPERIMENTS, parser,
                "cart-recovery".getBytes(StandardCharsets.UTF_8), null, 1_700_000_000_000L);
        assertThat(removed.isValid()).isTrue();
        assertThat(removed.time).isEqualTo(1_700_000_000_000L);
        assertThat(removed.definition.experimentId).isEqualTo("cart-recovery");
        assertThat(removed.definition.definitionJson).isNull();

        DecisionLine noKey = KafkaDecisionInputs.parse(DecisionLineParser.EXPERIMENTS, parser, null, null, 1L);
        assertThat(noKey.error).isEqualTo("malformed_json: empty record (tombstone)");
        DecisionLine request = KafkaDecisionInputs.parse(DecisionLineParser.REQUESTS, parser, "u1".getBytes(StandardCharsets.UTF_8), null, 1L);
        assertThat(request.error).isEqualTo("malformed_json: empty record (tombstone)");
    }
}
