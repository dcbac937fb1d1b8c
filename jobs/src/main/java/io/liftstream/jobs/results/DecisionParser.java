package io.liftstream.jobs.results;

import io.liftstream.jobs.serde.JsonErrors;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Reads a decision record (the decision job's output, one JSON object per line):
 * {@code decision_id, request_id, user_id, experiment_id, arm, in_holdout, policy, propensity,
 * reason, timestamp, experiment_version}. A decision with reason {@code assigned} or {@code sticky}
 * is an exposure to {@code arm}; {@code holdout} (with {@code in_holdout: true}) an exposure of the
 * holdout group. The other reasons (consent, suppressed, capped, paused, unknown_experiment,
 * fallback) expose nobody and are skipped (null). Refused, with a reason: not JSON, a missing
 * {@code user_id}, {@code experiment_id}, {@code reason} or {@code timestamp}, an unknown reason,
 * an exposure without {@code arm}, {@code in_holdout} inconsistent with the reason, a timestamp
 * outside 1990–2200.
 */
public final class DecisionParser implements LineParser {
    private static final long serialVersionUID = 1L;

    static final Set<String> EXPOSURES = Set.of("assigned", "sticky", "holdout");
    static final Set<String> NOT_EXPOSURES =
            Set.of("consent", "suppressed", "capped", "paused", "unknown_experiment", "fallback");
    private static final long MIN_TIME = Instant.parse("1990-01-01T00:00:00Z").toEpochMilli();
    private static final long MAX_TIME = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Override
    public ResultsLine parse(String line) {
        if (io.liftstream.jobs.serde.SegmentEventParser.isBlank(line)) {
            return null;
        }
        JsonNode o;
        try {
            o = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return ResultsLine.rejected(line, "malformed_json: " + JsonErrors.describe(e));
        }
        if (o == null || !o.isObject()) {
            return ResultsLine.rejected(line, "malformed_json: not a JSON object");
        }
        try {
            String reason = text(o, "reason", true);
            if (NOT_EXPOSURES.contains(reason)) {
                return null;
            }
            if (!EXPOSURES.contains(reason)) {
                throw new IllegalArgumentException("invalid_decision: unknown reason '" + reason + "'");
            }
            String user = identity(o);
            String experiment = text(o, "experiment_id", true);
            long time = timestamp(o.get("timestamp"));
            JsonNode holdoutNode = o.get("in_holdout");
            if (holdoutNode != null && !holdoutNode.isNull() && !holdoutNode.isBoolean()) {
                throw new IllegalArgumentException("wrong_type: in_holdout must be true or false");
            }
            boolean holdout = holdoutNode != null && holdoutNode.asBoolean(false);
            if (holdout != reason.equals("holdout")) {
                throw new IllegalArgumentException("invalid_decision: reason '" + reason + "' with in_holdout " + holdout);
            }
            String arm = text(o, "arm", !holdout);
            return ResultsLine.of(line, ResultsInput.exposure(user, time, experiment, arm, holdout,
                    text(o, "decision_id", false)));
        } catch (IllegalArgumentException e) {
            return ResultsLine.rejected(line, e.getMessage());
        }
    }

    private static String identity(JsonNode o) {
        JsonNode v = o.get("user_id");
        if (v != null && v.isIntegralNumber()) {
            return v.asText();
        }
        String user = text(o, "user_id", false);
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("missing_identity: user_id is required");
        }
        return user;
    }

    private static String text(JsonNode o, String field, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("missing_field: " + field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("wrong_type: " + field + " must be a string, got " + v);
        }
        if (required && v.asText().isEmpty()) {
            throw new IllegalArgumentException("missing_field: " + field + " is empty");
        }
        return v.asText();
    }

    /** ISO-8601 (Z or an offset) or epoch milliseconds, between 1990 and 2200. */
    static long timestamp(JsonNode v) {
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing_timestamp");
        }
        long t;
        if (v.isIntegralNumber()) {
            t = v.asLong();
        } else if (v.isTextual()) {
            String s = v.asText();
            if (!s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 19) {
                t = Long.parseLong(s);
            } else {
                try {
                    t = OffsetDateTime.parse(s).toInstant().toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("invalid_timestamp: not ISO-8601 or epoch milliseconds: " + s);
                }
            }
        } else {
            throw new IllegalArgumentException("invalid_timestamp: expected an ISO-8601 string or epoch milliseconds, got " + v);
        }
        if (t < MIN_TIME || t >= MAX_TIME) {
            throw new IllegalArgumentException("invalid_timestamp: outside 1990..2200: " + v);
        }
        return t;
    }
}
