package io.liftstream.jobs.sql.functions;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.factories.ModuleFactory;
import org.apache.flink.table.module.Module;

import java.util.Set;

/** Makes {@code LOAD MODULE liftstream} work in any Flink SQL session with the job jar on the classpath. */
public final class LiftstreamModuleFactory implements ModuleFactory {
    @Override
    public String factoryIdentifier() {
        return LiftstreamModule.NAME;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public Module createModule(Context context) {
        return new LiftstreamModule();
    }
}
