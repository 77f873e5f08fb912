package events.jitsi.core.ecs;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
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
        EcsClientBuilder builder = EcsClient.builder().httpClientBuilder(ApacheHttpClient.builder());
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
}
