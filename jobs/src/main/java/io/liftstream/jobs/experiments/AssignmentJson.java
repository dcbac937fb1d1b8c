package io.liftstream.jobs.experiments;

import io.liftstream.experiments.assignment.Assignment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One line of {@code ./liftstream assign}: {@code user_id, bucket, arm (null outside), in_holdout}. */
public final class AssignmentJson {
    private AssignmentJson() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static String write(Assignment a) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("user_id", a.userId());
        o.put("bucket", a.bucket());
        if (a.arm() == null) {
            o.putNull("arm");
        } else {
            o.put("arm", a.arm());
        }
        o.put("in_holdout", a.inHoldout());
        return o.toString();
    }
}
