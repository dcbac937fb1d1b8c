package io.liftstream.jobs.sql.functions;

import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.module.Module;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Liftstream statistics as a Flink SQL module: {@code LOAD MODULE liftstream} (the jar on the
 * classpath; {@link LiftstreamModuleFactory}) or {@link LiftstreamFunctions#register}. Function
 * names resolve case-insensitively, after Flink's core module.
 */
public final class LiftstreamModule implements Module {
    public static final String NAME = "liftstream";

    private static final Map<String, FunctionDefinition> FUNCTIONS = functions();

    private static Map<String, FunctionDefinition> functions() {
        Map<String, FunctionDefinition> f = new TreeMap<>();
        f.put(AbTestFunction.NAME, new AbTestFunction());
        f.put(AbAnalyzeFunction.NAME, new AbAnalyzeFunction());
        f.put(SrmPValueFunction.NAME, new SrmPValueFunction());
        f.put(SequentialSrmPValueFunction.NAME, new SequentialSrmPValueFunction());
        f.put(ArmStatsFunction.NAME, new ArmStatsFunction());
        f.put(AbAnalyzeAggFunction.NAME, new AbAnalyzeAggFunction());
        f.put(RatioStatsFunction.NAME, new RatioStatsFunction());
        f.put(AbAnalyzeRatioAggFunction.NAME, new AbAnalyzeRatioAggFunction());
        return f;
    }

    @Override
    public Set<String> listFunctions() {
        return FUNCTIONS.keySet();
    }

    @Override
    public Optional<FunctionDefinition> getFunctionDefinition(String name) {
        return Optional.ofNullable(FUNCTIONS.get(name.toUpperCase(Locale.ROOT)));
    }
}
