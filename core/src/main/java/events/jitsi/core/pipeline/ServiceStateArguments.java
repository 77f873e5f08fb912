package events.jitsi.core.pipeline;

import java.util.Map;
import java.util.Set;

/** {@code ecsServiceState}'s arguments: which service, reached how. */
public record ServiceStateArguments(AwsAccess aws, String cluster, String service) {
    static final String STEP = "ecsServiceState";
    public static final Set<String> NAMES = StepArguments.withAws("cluster", "service");

    public ServiceStateArguments {
        aws = aws == null ? AwsAccess.DEFAULT : aws;
        cluster = StepArguments.required(STEP, "cluster", cluster);
        service = StepArguments.required(STEP, "service", service);
    }

    public static ServiceStateArguments of(Map<String, ?> named) {
        StepArguments a = new StepArguments(STEP, named, NAMES);
        return new ServiceStateArguments(a.access(), a.text("cluster"), a.text("service"));
    }
}
