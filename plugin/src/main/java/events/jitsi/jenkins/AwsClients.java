package events.jitsi.jenkins;

import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.pipeline.AwsAccess;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The AWS clients of one short step execution (deploy, verify), one set per access, each client built on first use,
 * all closed when the step ends.
 */
final class AwsClients implements Function<AwsAccess, AwsServices>, AutoCloseable {
    private final StepContext context;
    private final Map<AwsAccess, AwsServices> clients = new HashMap<>();

    AwsClients(StepContext context) {
        this.context = context;
    }

    @Override
    public synchronized AwsServices apply(AwsAccess access) {
        AwsServices services = clients.get(access);
        if (services == null) {
            try {
                services = AwsConnection.resolve(context, access).newServices();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while looking up the AWS credential", e);
            }
            clients.put(access, services);
        }
        return services;
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(AwsServices::close);
        clients.clear();
    }
}
