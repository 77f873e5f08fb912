package events.jitsi.jenkins;

import events.jitsi.core.pipeline.AwsAccess;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import software.amazon.awssdk.services.ecs.EcsClient;

/** The ECS clients of one short step execution (deploy, verify), one per access, all closed when the step ends. */
final class AwsClients implements Function<AwsAccess, EcsClient>, AutoCloseable {
    private final StepContext context;
    private final Map<AwsAccess, EcsClient> clients = new HashMap<>();

    AwsClients(StepContext context) {
        this.context = context;
    }

    @Override
    public synchronized EcsClient apply(AwsAccess access) {
        EcsClient client = clients.get(access);
        if (client == null) {
            try {
                client = AwsConnection.resolve(context, access).newClient();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while looking up the AWS credential", e);
            }
            clients.put(access, client);
        }
        return client;
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(EcsClient::close);
        clients.clear();
    }
}
