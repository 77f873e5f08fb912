package events.jitsi.jenkins;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import events.jitsi.core.ecs.EcsClients;
import events.jitsi.core.pipeline.AwsAccess;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Run;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The ECS clients one step execution uses: credentials from the Jenkins store (an AWS credential of the
 * aws-credentials plugin is itself an SDK v2 credentials provider), else the controller's default chain; the region
 * from the step, else AWS_REGION of the build. Closed when the step is done.
 */
final class AwsClients implements Function<AwsAccess, EcsClient>, AutoCloseable {
    private final Run<?, ?> run;
    private final EnvVars environment;
    private final Map<AwsAccess, EcsClient> clients = new HashMap<>();

    AwsClients(StepContext context) throws IOException, InterruptedException {
        this.run = context.get(Run.class);
        this.environment = context.get(EnvVars.class);
    }

    @Override
    public synchronized EcsClient apply(AwsAccess access) {
        return clients.computeIfAbsent(access, this::create);
    }

    private EcsClient create(AwsAccess access) {
        AwsCredentialsProvider credentials = null;
        if (access.credentialsId() != null) {
            AmazonWebServicesCredentials found = CredentialsProvider.findCredentialById(
                    access.credentialsId(), AmazonWebServicesCredentials.class, run, Collections.emptyList());
            if (found == null) {
                throw new IllegalArgumentException(new AbortException("No AWS credentials with id '" + access.credentialsId()
                        + "' are available to this build: add them under Credentials as kind \"AWS Credentials\"."));
            }
            credentials = found;
        }
        String region = access.region() != null ? access.region() : environment == null ? null : environment.get("AWS_REGION");
        URI endpoint = access.endpointUrl() == null ? null : URI.create(access.endpointUrl());
        return EcsClients.create(region, endpoint, credentials);
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(EcsClient::close);
        clients.clear();
    }
}
