package io.liftstream.triggers;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic trigger ids: a name-based UUID (RFC 4122 version 3) of the user, the trigger type and
 * the anchoring event's messageId. A replay of the same input yields the same ids, so downstream
 * consumers can deduplicate.
 */
public final class TriggerIds {
    private TriggerIds() {}

    public static String of(String userId, TriggerType type, String anchorMessageId) {
        String name = userId + '\u0000' + type.id() + '\u0000' + anchorMessageId;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
