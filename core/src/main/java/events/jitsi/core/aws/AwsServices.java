package events.jitsi.core.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The AWS clients of one region (and endpoint and credentials), each built on first use and closed together. Every
 * client it builds reports to one {@link CallRecorder}, so a caller can say how many calls an operation made.
 */
public final class AwsServices implements AutoCloseable {
    private final String region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final Supplier<SdkHttpClient.Builder<?>> http;
    private final CallRecorder calls = new CallRecorder();
    private final List<ExecutionInterceptor> interceptors = new ArrayList<>();
    private final Map<Class<?>, SdkClient> built = new LinkedHashMap<>();

    /**
     * @param region      null: the SDK's default chain
     * @param endpoint    null: AWS itself; else every service at this URL (moto, a local test bed)
     * @param credentials null: the SDK's default chain
     * @param http        the HTTP client of each service client
     */
    public AwsServices(String region, URI endpoint, AwsCredentialsProvider credentials, Supplier<SdkHttpClient.Builder<?>> http) {
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.http = http;
    }

    public AwsServices(String region, URI endpoint, AwsCredentialsProvider credentials) {
        this(region, endpoint, credentials, ApacheHttpClient::builder);
    }

    /**
     * Adds an interceptor to every client built from now on: for a test bed whose wire format differs from AWS's
     * (moto answers CloudWatch in JSON, not in the CBOR the SDK sends).
     */
    public synchronized AwsServices with(ExecutionInterceptor interceptor) {
        interceptors.add(interceptor);
        return this;
    }

    public CallRecorder calls() {
        return calls;
    }

    public EcsClient ecs() {
        return client(EcsClient.class, () -> configure(EcsClient.builder(), region, new UnknownTaskDefinitionMembers()).build());
    }

    public AutoScalingClient autoScaling() {
        return client(AutoScalingClient.class, () -> configure(AutoScalingClient.builder(), region).build());
    }

    public CloudWatchClient cloudWatch() {
        return client(CloudWatchClient.class, () -> configure(CloudWatchClient.builder(), region).build());
    }

    public Ec2Client ec2() {
        return client(Ec2Client.class, () -> configure(Ec2Client.builder(), region).build());
    }

    public EfsClient efs() {
        return client(EfsClient.class, () -> configure(EfsClient.builder(), region).build());
    }

    public ElasticLoadBalancingV2Client loadBalancing() {
        return client(ElasticLoadBalancingV2Client.class, () -> configure(ElasticLoadBalancingV2Client.builder(), region).build());
    }

    public SsmClient ssm() {
        return client(SsmClient.class, () -> configure(SsmClient.builder(), region).build());
    }

    /** Route 53 is a global service: its calls are signed for aws-global whatever the environment's region. */
    public Route53Client route53() {
        return client(Route53Client.class, () -> configure(Route53Client.builder(), Region.AWS_GLOBAL.id()).build());
    }

    /** The client of this kind, built on first use. */
    private synchronized <C extends SdkClient> C client(Class<C> kind, Supplier<C> build) {
        return kind.cast(built.computeIfAbsent(kind, k -> build.get()));
    }

    /** The one way every client here is set up; {@code first} runs before the shared interceptors. */
    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, String signingRegion,
                                                                                       ExecutionInterceptor... first) {
        builder.httpClientBuilder(http.get()).overrideConfiguration(o -> {
            for (ExecutionInterceptor i : first) {
                o.addExecutionInterceptor(i);
            }
            interceptors.forEach(o::addExecutionInterceptor);
            o.addExecutionInterceptor(calls);
        });
        if (signingRegion != null && !signingRegion.isBlank()) {
            builder.region(Region.of(signingRegion));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        return builder;
    }

    /**
     * The refused connection, unknown host or TLS failure behind an error, if that is what it is: unlike throttling or
     * a 5xx answer, waiting does not mend it, so callers give up early and say to check the endpoint and region.
     */
    public static Throwable unreachableCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException || t instanceof javax.net.ssl.SSLException) {
                return t;
            }
        }
        return null;
    }

    @Override
    public synchronized void close() {
        built.values().forEach(SdkClient::close);
        built.clear();
    }
}
