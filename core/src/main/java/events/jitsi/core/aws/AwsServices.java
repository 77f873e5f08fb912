package events.jitsi.core.aws;

import events.jitsi.core.ecs.EcsClients;
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

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
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
    private final List<SdkClient> built = new ArrayList<>();
    private EcsClient ecs;
    private AutoScalingClient autoScaling;
    private CloudWatchClient cloudWatch;
    private Ec2Client ec2;
    private EfsClient efs;
    private ElasticLoadBalancingV2Client loadBalancing;
    private Route53Client route53;

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

    public synchronized EcsClient ecs() {
        if (ecs == null) {
            List<ExecutionInterceptor> all = new ArrayList<>(interceptors);
            all.add(calls);
            ecs = keep(EcsClients.create(region, endpoint, credentials, http.get(), all.toArray(ExecutionInterceptor[]::new)));
        }
        return ecs;
    }

    public synchronized AutoScalingClient autoScaling() {
        if (autoScaling == null) {
            autoScaling = keep(configure(AutoScalingClient.builder(), region).build());
        }
        return autoScaling;
    }

    public synchronized CloudWatchClient cloudWatch() {
        if (cloudWatch == null) {
            cloudWatch = keep(configure(CloudWatchClient.builder(), region).build());
        }
        return cloudWatch;
    }

    public synchronized Ec2Client ec2() {
        if (ec2 == null) {
            ec2 = keep(configure(Ec2Client.builder(), region).build());
        }
        return ec2;
    }

    public synchronized EfsClient efs() {
        if (efs == null) {
            efs = keep(configure(EfsClient.builder(), region).build());
        }
        return efs;
    }

    public synchronized ElasticLoadBalancingV2Client loadBalancing() {
        if (loadBalancing == null) {
            loadBalancing = keep(configure(ElasticLoadBalancingV2Client.builder(), region).build());
        }
        return loadBalancing;
    }

    /** Route 53 is a global service: its calls are signed for aws-global whatever the environment's region. */
    public synchronized Route53Client route53() {
        if (route53 == null) {
            route53 = keep(configure(Route53Client.builder(), Region.AWS_GLOBAL.id()).build());
        }
        return route53;
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, String signingRegion) {
        builder.httpClientBuilder(http.get()).overrideConfiguration(o -> {
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

    private <C extends SdkClient> C keep(C client) {
        built.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        built.forEach(SdkClient::close);
        built.clear();
        ecs = null;
        autoScaling = null;
        cloudWatch = null;
        ec2 = null;
        efs = null;
        loadBalancing = null;
        route53 = null;
    }
}
