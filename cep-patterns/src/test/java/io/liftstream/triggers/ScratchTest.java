package io.liftstream.triggers;

import static io.liftstream.triggers.TriggerFixtures.*;
import static io.liftstream.triggers.TriggerHarnesses.*;

import io.liftstream.events.ShopperEvent;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ScratchTest {
    static void dump(KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, ?> h, String label) throws Exception {
        CepOperator<?, ?, ?> op = (CepOperator<?, ?, ?>) h.getOneInputOperator();
        op.setCurrentKey(ALICE);
        java.lang.reflect.Field f = CepOperator.class.getDeclaredField("computationStates");
        f.setAccessible(true);
        @SuppressWarnings("unchecked")
        ValueState<NFAState> vs = (ValueState<NFAState>) f.get(op);
        System.out.println(label + ": out=" + drain(h) + " timers=" + h.numEventTimeTimers() + " state=" + h.numKeyedStateEntries() + " nfa=" + vs.value());
    }

    @Test
    void dump() throws Exception {
        TriggerSettings s = TriggerSettings.defaults();
        KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> h = openCep(TriggerPatterns.browseAbandoned(s), new BrowseAbandonedFunction(s));
        send(h, productViewed(ALICE, T0, "p1"));
        h.processWatermark(T0);
        dump(h, "v1");
        send(h, productViewed(ALICE, T0_PLUS_1M, "p2"));
        h.processWatermark(T0_PLUS_1M);
        dump(h, "v2");
        send(h, productViewed(ALICE, T0_PLUS_2M, "p3"));
        h.processWatermark(T0_PLUS_2M);
        dump(h, "v3");
        send(h, other(ALICE, T0_PLUS_3M, "x"));
        h.processWatermark(T0_PLUS_3M);
        dump(h, "other");
        send(h, other(ALICE, T0_PLUS_60M, "y"));
        h.processWatermark(T0_PLUS_60M);
        dump(h, "other2");
        h.close();
    }
}
