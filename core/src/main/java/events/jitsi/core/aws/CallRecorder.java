package events.jitsi.core.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Counts and lists the AWS API calls made through the clients it is added to (one per call, retries not counted),
 * named as IAM actions ({@code ecs:DescribeServices}): what a verification costs, and what an IAM policy must allow.
 */
public final class CallRecorder implements ExecutionInterceptor {
    /** The SDK's service names and the IAM prefixes of their actions, where the two differ by more than case. */
    private static final Map<String, String> IAM_PREFIXES = Map.of(
            "Efs", "elasticfilesystem",
            "ElasticLoadBalancingV2", "elasticloadbalancing");

    private final List<String> actions = new ArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String prefix = IAM_PREFIXES.getOrDefault(service, service == null ? "unknown" : service.toLowerCase(java.util.Locale.ROOT));
        synchronized (actions) {
            actions.add(prefix + ":" + operation);
        }
    }

    /** How many calls so far. */
    public int count() {
        synchronized (actions) {
            return actions.size();
        }
    }

    /** Every call so far, in order, as IAM actions. */
    public List<String> actions() {
        synchronized (actions) {
            return List.copyOf(actions);
        }
    }
}
