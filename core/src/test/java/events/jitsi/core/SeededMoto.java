package events.jitsi.core;

import events.jitsi.core.aws.AwsServices;
import events.jitsi.testbed.MotoServer;
import events.jitsi.testbed.SeedInstallation;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * moto on loopback for one test class ({@code @RegisterExtension static final SeededMoto MOTO = new SeededMoto();}),
 * emptied and seeded with the seed installation before each test, so each test may break it as it likes.
 */
public final class SeededMoto implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private MotoServer server;
    private SeedInstallation seed;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = MotoServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server.reset();
        seed = new SeedInstallation(server.endpoint()).seed();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (seed != null) {
            seed.close();
        }
    }

    public MotoServer server() {
        return server;
    }

    /** This test's seed installation (its ids, names and environments file). */
    public SeedInstallation seed() {
        return seed;
    }

    /** The engine's AWS clients against this moto, as a caller with this access key id; close them after the test. */
    public AwsServices clients(String accessKeyId, ExecutionInterceptor... interceptors) {
        AwsServices aws = new AwsServices(SeedInstallation.REGION, server.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "moto-test-secret")));
        for (ExecutionInterceptor interceptor : interceptors) {
            aws.with(interceptor);
        }
        return aws;
    }
}
