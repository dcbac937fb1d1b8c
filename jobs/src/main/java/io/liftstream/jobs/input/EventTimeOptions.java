package io.liftstream.jobs.input;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** Event-time options of the input stream. */
public final class EventTimeOptions {
    private EventTimeOptions() {}

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("liftstream.events.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Bounded out-of-orderness: an event more than this behind the latest event time "
                                    + "seen (by the same source split) is late and goes to the late-events output.");

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
            ConfigOptions.key("liftstream.events.max-future-skew")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "An event more than this ahead of its stream's event time so far (the largest event "
                                    + "time accepted before it; in Kafka mode also of the record's Kafka timestamp) "
                                    + "goes to the dead letters with reason future_timestamp and does not move event "
                                    + "time. The time compared is after Segment's clock-skew correction.");

    public static final ConfigOption<Duration> SOURCE_IDLENESS =
            ConfigOptions.key("liftstream.events.source-idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "Kafka only: a partition without records for this long (wall clock) stops holding "
                                    + "back the watermark. Not used for files, whose replay follows event time only.");
}
