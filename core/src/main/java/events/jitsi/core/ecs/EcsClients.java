package events.jitsi.core.ecs;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.EcsClientBuilder;

import java.net.URI;

/** Builds the ECS client the engine is given. Region and credentials default to the AWS default chains. */
public final class EcsClients {
    private EcsClients() {
    }

    public static EcsClient create(String region, URI endpoint, AwsCredentialsProvider credentials) {
        return create(region, endpoint, credentials, ApacheHttpClient.builder());
    }

    /** With another HTTP client: a one-call command starts faster on the JDK's own (the CLI's url-connection client). */
    public static EcsClient create(String region, URI endpoint, AwsCredentialsProvider credentials, SdkHttpClient.Builder<?> http,
                                   ExecutionInterceptor... more) {
        EcsClientBuilder builder = EcsClient.builder().httpClientBuilder(http)
                .overrideConfiguration(o -> {
                    o.addExecutionInterceptor(new UnknownMembers());
                    for (ExecutionInterceptor i : more) {
                        o.addExecutionInterceptor(i);
                    }
                });
        if (region != null && !region.isBlank()) {
            builder.region(Region.of(region));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        return builder.build();
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
}
