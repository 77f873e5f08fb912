package events.jitsi.jenkins;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import events.jitsi.core.InvalidInputException;
import events.jitsi.core.aws.CachedCredentials;
import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.aws.BuildEnvironmentCredentials;
import events.jitsi.core.pipeline.AwsAccess;
import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * How one step reaches AWS, settled on the controller when the step starts. The credentials, in this order: the
 * step's {@code credentialsId} (looked up for the build, its use recorded); else the AWS keys in the build's own
 * environment ({@code withAWS}, {@code withCredentials}); else the controller's default AWS chain. The build log
 * says which, never the values. The region from the step, else AWS_REGION (or AWS_DEFAULT_REGION) of the build; an
 * optional endpoint. Calls go through Jenkins' proxy settings.
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
    private final AwsCredentialsProvider buildKeys;
    private final String source;

    private AwsConnection(String region, URI endpoint, String credentialsId, AmazonWebServicesCredentials credential,
                          AwsCredentialsProvider buildKeys, String source) {
        this.region = region;
        this.endpoint = endpoint;
        this.credentialsId = credentialsId;
        this.credential = credential;
        this.buildKeys = buildKeys;
        this.source = source;
    }

    static AwsConnection resolve(StepContext context, AwsAccess access) throws IOException, InterruptedException {
        Run<?, ?> run = context.get(Run.class);
        EnvVars environment = context.get(EnvVars.class);
        Map<String, String> env = environment == null ? Map.of() : environment;
        AmazonWebServicesCredentials credential = null;
        AwsCredentialsProvider buildKeys = null;
        String source;
        if (access.credentialsId() != null) {
            credential = CredentialsProvider.findCredentialById(access.credentialsId(), AmazonWebServicesCredentials.class, run,
                    java.util.List.of());
            if (credential == null) {
                throw new InvalidInputException("No AWS credential with id '" + access.credentialsId() + "' is available to this "
                        + "build: add one of kind \"AWS Credentials\" under Credentials, in a scope this job can use.");
            }
            CredentialsProvider.track(run, credential);
            source = "the AWS credential '" + access.credentialsId() + "'";
        } else if ((buildKeys = BuildEnvironmentCredentials.from(env)) != null) {
            source = BuildEnvironmentCredentials.describe(env);
        } else {
            source = "the controller's default AWS credentials (its environment, profile or instance role)";
        }
        String region = access.region();
        if (region == null) {
            region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
        }
        URI endpoint;
        try {
            endpoint = access.endpointUrl() == null ? null : URI.create(access.endpointUrl());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("endpointUrl '" + access.endpointUrl() + "' is not a URL: " + e.getMessage());
        }
        TaskListener listener = context.get(TaskListener.class);
        if (listener != null) {
            listener.getLogger().println("AWS calls as " + source + (region == null ? "" : ", region " + region)
                    + (endpoint == null ? "" : ", endpoint " + endpoint) + ".");
        }
        return new AwsConnection(region, endpoint, access.credentialsId(), credential, buildKeys, source);
    }

    String region() {
        return region;
    }

    String endpoint() {
        return endpoint == null ? null : endpoint.toString();
    }

    /** Every AWS client a step may need (verification reads Auto Scaling, CloudWatch, EC2, EFS, ELB and Route 53 too). */
    AwsServices newServices() {
        return new AwsServices(region, endpoint, credentialsProvider(), JenkinsProxy::httpClient);
    }

    /**
     * The credential, asked once and reused until shortly before its keys expire (null: the default chain). An "AWS
     * Credentials" entry with an IAM role builds an STS client and assumes the role each time it is asked, and the
     * SDK asks before every request.
     */
    private AwsCredentialsProvider credentialsProvider() {
        if (credential == null) {
            return buildKeys;
        }
        return new CachedCredentials("the AWS credential '" + credentialsId + "'", credential, LIFETIME, Clock.systemUTC());
    }

    /**
     * Who the calls are made as, so that only steps acting as the same AWS principal share a client: the credential
     * object itself (compared by identity: builds that use one stored credential get the same object, and an edited
     * credential is a new one), or the controller's own chain.
     */
    Object principal() {
        if (credential != null) {
            return new SameObject(credential);
        }
        if (buildKeys != null) {
            // The keys themselves are the principal (a withAWS role session is a new one each time); kept in memory only.
            var keys = buildKeys.resolveCredentials();
            return List.of("build environment", keys.accessKeyId(), keys.secretAccessKey(),
                    keys instanceof AwsSessionCredentials session ? session.sessionToken() : "");
        }
        return "controller default chain";
    }

    /** Which credentials the calls use, in words for the build log. */
    String source() {
        return source;
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
