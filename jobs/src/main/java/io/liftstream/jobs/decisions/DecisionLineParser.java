package io.liftstream.jobs.decisions;

import io.liftstream.jobs.serde.JsonErrors;
import io.liftstream.events.ShopperEvent;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.jobs.experiments.ExperimentDefinitionJson;
import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.serde.SegmentEventParser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Parses a line of one of the decision job's input streams; never throws. A bad line becomes a
 * rejected {@link DecisionLine} whose error starts with a short code ({@code malformed_json},
 * {@code missing_field}, {@code wrong_type}, {@code invalid_timestamp}, {@code invalid_value},
 * {@code invalid_definition}, {@code unsupported_reward_value}).
 *
 * <ul>
 *   <li>requests: {@code {"request_id","user_id","experiment_id","timestamp","context":{…}}}; a line
 *       with {@code trigger_id} is a trigger record of the trigger job ({@code trigger_id, trigger,
 *       user_id, detected_at}), whose time is {@code detected_at}. Other fields are ignored.</li>
 *   <li>triggers: trigger records only.</li>
 *   <li>events: Segment track events, with {@link SegmentEventParser}'s rules.</li>
 *   <li>control: {@code {"type":"consent","user_id","status":"opt_out"|"opt_in","timestamp"}},
 *       {@code {"type":"suppression","user_id","status":"add"|"remove","timestamp"}},
 *       {@code {"type":"delete_user","user_id","timestamp"}}; other fields are ignored.</li>
 *   <li>experiments: {@link ExperimentDefinitionJson}; {@code reward.value} must be conversion,
 *       revenue, value, price or quantity.</li>
 * </ul>
 * Timestamps are ISO-8601 instants or epoch milliseconds, between 1990 and 2200.
 */
public final class DecisionLineParser implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String REQUESTS = "requests";
    public static final String TRIGGERS = "triggers";
    public static final String EXPERIMENTS = "experiments";
    public static final String EVENTS = "events";
    public static final String CONTROL = "control";

    /** The event properties a reward can take its value from. */
    public static final Set<String> REWARD_PROPERTIES = Set.of("revenue", "value", "price", "quantity");

    private static final long MIN_TIME = Instant.parse("1990-01-01T00:00:00Z").toEpochMilli();
    private static final long MAX_TIME = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final SegmentEventParser segment = new SegmentEventParser();

    private static final class Rejection extends Exception {
        private static final long serialVersionUID = 1L;

        Rejection(String reason) {
            super(reason, null, false, false);
        }
    }

    public DecisionLine parse(String stream, String line) {
        try {
            switch (stream) {
                case REQUESTS:
                    return DecisionLine.ok(stream, line, request(object(line), true));
                case TRIGGERS:
                    return DecisionLine.ok(stream, line, trigger(object(line)));
                case EVENTS:
                    return DecisionLine.ok(stream, line, outcome(line));
                case CONTROL:
                    return DecisionLine.ok(stream, line, control(object(line)));
                case EXPERIMENTS:
                    return DecisionLine.ok(stream, line, definition(line));
                default:
                    throw new IllegalArgumentException("unknown stream " + stream);
            }
        } catch (Rejection r) {
            return DecisionLine.rejected(stream, line, r.getMessage());
        }
    }

    private static JsonNode object(String line) throws Rejection {
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new Rejection("malformed_json: " + JsonErrors.describe(e));
        }
        if (root == null || !root.isObject()) {
            throw new Rejection("malformed_json: not a JSON object");
        }
        return root;
    }

    private static UserItem request(JsonNode o, boolean allowTrigger) throws Rejection {
        if (allowTrigger && o.has("trigger_id")) {
            return trigger(o);
        }
        UserItem item = new UserItem();
        item.kind = UserItem.REQUEST;
        item.requestId = required(o, "request_id");
        item.userId = required(o, "user_id");
        item.experimentId = required(o, "experiment_id");
        item.timestamp = time(o, "timestamp");
        JsonNode context = o.get("context");
        if (context != null && !context.isNull() && !context.isObject()) {
            throw new Rejection("wrong_type: context must be an object");
        }
        return item;
    }

    private static UserItem trigger(JsonNode o) throws Rejection {
        UserItem item = new UserItem();
        item.kind = UserItem.TRIGGER;
        item.requestId = required(o, "trigger_id");
        item.trigger = required(o, "trigger");
        item.userId = required(o, "user_id");
        item.timestamp = time(o, "detected_at");
        return item;
    }

    private UserItem outcome(String line) throws Rejection {
        ParsedLine parsed = segment.parse(line);
        if (!parsed.isValid()) {
            throw new Rejection(parsed.error);
        }
        ShopperEvent e = parsed.event;
        UserItem item = new UserItem();
        item.kind = UserItem.OUTCOME;
        item.userId = e.userId;
        item.timestamp = e.timestamp;
        item.event = e.event;
        item.revenue = e.revenue;
        item.value = e.value;
        item.price = e.price;
        item.quantity = e.quantity;
        return item;
    }

    private static UserItem control(JsonNode o) throws Rejection {
        UserItem item = new UserItem();
        item.kind = UserItem.CONTROL;
        item.control = required(o, "type");
        item.userId = required(o, "user_id");
        item.timestamp = time(o, "timestamp");
        switch (item.control) {
            case "consent":
                item.status = oneOf(o, "status", "opt_out", "opt_in");
                break;
            case "suppression":
                item.status = oneOf(o, "status", "add", "remove");
                break;
            case "delete_user":
                break;
            default:
                throw new Rejection("invalid_value: type must be consent, suppression or delete_user, was '" + item.control + "'");
        }
        return item;
    }

    private static BroadcastItem definition(String line) throws Rejection {
        ExperimentDefinition d;
        try {
            d = ExperimentDefinitionJson.parse(line); // the analysis object included, for the results job
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new Rejection(m.startsWith("not valid JSON") ? "malformed_json: " + m : "invalid_definition: " + m);
        }
        if (d.reward() != null && !d.reward().isConversion() && !REWARD_PROPERTIES.contains(d.reward().value())) {
            throw new Rejection("unsupported_reward_value: reward.value must be conversion or one of "
                    + REWARD_PROPERTIES.stream().sorted().toList() + ", was '" + d.reward().value() + "'");
        }
        long effectiveAt = d.timestamp() == null ? DecisionLine.UNTIMED : d.timestamp().toEpochMilli();
        if (d.timestamp() != null && (effectiveAt < MIN_TIME || effectiveAt >= MAX_TIME)) {
            throw new Rejection("invalid_timestamp: " + d.timestamp() + " is outside 1990..2200");
        }
        // Normalized JSON: equal definitions give equal strings (the decision side caches by it).
        return BroadcastItem.definition(d.experimentId(), effectiveAt, ExperimentDefinitionJson.write(d));
    }

    private static String required(JsonNode o, String field) throws Rejection {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new Rejection("missing_field: " + field);
        }
        if (v.isTextual()) {
            if (v.asText().isEmpty()) {
                throw new Rejection("missing_field: " + field + " is empty");
            }
            return v.asText();
        }
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        throw new Rejection("wrong_type: " + field + " must be a string, was " + v.getNodeType().name().toLowerCase());
    }

    private static String oneOf(JsonNode o, String field, String a, String b) throws Rejection {
        String v = required(o, field);
        if (!v.equals(a) && !v.equals(b)) {
            throw new Rejection("invalid_value: " + field + " must be " + a + " or " + b + ", was '" + v + "'");
        }
        return v;
    }

    static long time(JsonNode o, String field) throws Rejection {
        JsonNode node = o.get(field);
        if (node == null || node.isNull()) {
            throw new Rejection("missing_field: " + field);
        }
        long millis;
        if (node.isIntegralNumber()) {
            millis = node.asLong();
        } else if (node.isTextual()) {
            String text = node.asText();
            if (!text.isEmpty() && text.length() <= 18 && text.chars().allMatch(Character::isDigit)) {
                millis = Long.parseLong(text);
            } else {
                try {
                    millis = Instant.parse(text).toEpochMilli();
                } catch (DateTimeParseException e) {
                    try {
                        millis = OffsetDateTime.parse(text).toInstant().toEpochMilli();
                    } catch (DateTimeParseException e2) {
                        throw new Rejection("invalid_timestamp: " + field + " '" + text + "' is not ISO-8601 or epoch milliseconds");
                    }
                }
            }
        } else {
            throw new Rejection("invalid_timestamp: " + field + " must be an ISO-8601 string or epoch milliseconds");
        }
        if (millis < MIN_TIME || millis >= MAX_TIME) {
            throw new Rejection("invalid_timestamp: " + field + " " + node + " is outside 1990..2200 (epoch seconds instead of milliseconds?)");
        }
        return millis;
    }
}
