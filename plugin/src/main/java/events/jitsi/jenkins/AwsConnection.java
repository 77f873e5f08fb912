package events.jitsi.jenkins;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import events.jitsi.core.InvalidInputException;
import events.jitsi.core.ecs.CachedCredentials;
import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.ecs.EcsClients;
import events.jitsi.core.pipeline.AwsAccess;
import hudson.EnvVars;
import hudson.model.Run;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * How one step reaches ECS, settled on the controller when the step starts: the credential from the Jenkins store
 * (looked up for the build, its use recorded), else the controller's default AWS chain; the region from the step,
 * else AWS_REGION (or AWS_DEFAULT_REGION) of the build; an optional endpoint.
 */
final class AwsConnection {
    /**
     * How long keys are reused when they carry no expiry. Fifteen minutes is the shortest session STS grants, so the
     * keys of an assumed role are renewed before they expire whatever session length the credential asks for.
     */
    private static final Duration LIFETIME = Duration.ofMinutes(15);

    private final String region;
    private final URI endpoint;
    private final String credentialsId;
    private final AmazonWebServicesCredentials credential;

    private AwsConnection(String region, URI endpoint, String credentialsId, AmazonWebServicesCredentials credential) {
        this.region = region;
        this.endpoint = endpoint;
        this.credentialsId = credentialsId;
        this.credential = credential;
    }

    static AwsConnection resolve(StepContext context, AwsAccess access) throws IOException, InterruptedException {
        Run<?, ?> run = context.get(Run.class);
        EnvVars environment = context.get(EnvVars.class);
        AmazonWebServicesCredentials credential = null;
        if (access.credentialsId() != null) {
            credential = CredentialsProvider.findCredentialById(access.credentialsId(), AmazonWebServicesCredentials.class, run,
                    java.util.List.of());
            if (credential == null) {
                throw new InvalidInputException("No AWS credential with id '" + access.credentialsId() + "' is available to this "
                        + "build: add one of kind \"AWS Credentials\" under Credentials, in a scope this job can use.");
            }
            CredentialsProvider.track(run, credential);
        }
        String region = access.region();
        if (region == null && environment != null) {
            region = environment.get("AWS_REGION", environment.get("AWS_DEFAULT_REGION"));
        }
        URI endpoint;
        try {
            endpoint = access.endpointUrl() == null ? null : URI.create(access.endpointUrl());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("endpointUrl '" + access.endpointUrl() + "' is not a URL: " + e.getMessage());
        }
        return new AwsConnection(region, endpoint, access.credentialsId(), credential);
    }

    String region() {
        return region;
    }

    String endpoint() {
        return endpoint == null ? null : endpoint.toString();
    }

    EcsClient newClient() {
        return EcsClients.create(region, endpoint, credentialsProvider());
    }

    /** Every AWS client a step may need (verification reads Auto Scaling, CloudWatch, EC2, EFS, ELB and Route 53 too). */
    AwsServices newServices() {
        return new AwsServices(region, endpoint, credentialsProvider());
    }

    /**
     * The credential, asked once and reused until shortly before its keys expire (null: the default chain). An "AWS
     * Credentials" entry with an IAM role builds an STS client and assumes the role each time it is asked, and the
     * SDK asks before every request.
     */
    private AwsCredentialsProvider credentialsProvider() {
        if (credential == null) {
            return null;
        }
        return new CachedCredentials("the AWS credential '" + credentialsId + "'", credential, LIFETIME, Clock.systemUTC());
    }

    /**
     * Who the calls are made as, so that only steps acting as the same AWS principal share a client: the credential
     * object itself (compared by identity: builds that use one stored credential get the same object, and an edited
     * credential is a new one), or the controller's own chain.
     */
    Object principal() {
        return credential == null ? "controller default chain" : new SameObject(credential);
    }

    /** A key that equals only the very same object. */
    private record SameObject(Object object) {
        @Override
        public boolean equals(Object other) {
            return other instanceof SameObject o && o.object == object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }
    }
}
