package events.jitsi.core.pipeline;

import events.jitsi.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each step's arguments are one record, checked in its constructor: the plugin builds it from its fields, the shared
 * library's tests from named arguments ({@code of}), and the plugin keeps or sends it as JDK values ({@code toMap}).
 * The three ways must say the same thing.
 */
class TypedStepArgumentsTest {
    private static final AwsAccess AWS = new AwsAccess("eu-central-1", "aws-jitsi", "http://127.0.0.1:4599");

    /** Every name a record's components give, the AWS access spelt out as the step's three arguments. */
    private static Set<String> componentNames(Class<? extends Record> type) {
        Set<String> names = new HashSet<>();
        for (var component : type.getRecordComponents()) {
            if (component.getType() == AwsAccess.class) {
                names.addAll(StepArguments.AWS);
            } else {
                names.add(component.getName());
            }
        }
        return names;
    }

    private static <R extends Record> void roundTrips(R arguments, Function<Map<String, ?>, R> of, Set<String> names) {
        assertThat(of.apply(StepArguments.toMap(arguments))).isEqualTo(arguments);
        assertThat(names).as("the names %s takes", arguments.getClass().getSimpleName()).isEqualTo(componentNames(arguments.getClass()));
    }

    @Test
    void namedArgumentsTypedArgumentsAndWhatThePluginKeepsAreTheSame() {
        roundTrips(new DeployArguments(AWS, "jitsi-cluster", "jitsi", 13, null, List.of("web=jitsi/web:stable-10133"), true, 2, true, true,
                null, null, null, List.of(), List.of(), null, null, false), DeployArguments::of, DeployArguments.NAMES);
        roundTrips(new DeployArguments(AWS, "jitsi-cluster", "jitsi", null, null, null, false, null, false, false,
                "jitsi-staging-cluster", "jitsi", "eu-west-1", List.of("PUBLIC_URL"), List.of("jvb"), "jitsi-meet-task-staging:5",
                "jitsi-meet-task:12", true), DeployArguments::of, DeployArguments.NAMES);
        roundTrips(new WaitArguments(AWS, "jitsi-cluster", "jitsi", "ecs-svc/1", 20, 10, true, "jitsi-meet-task:12", true),
                WaitArguments::of, WaitArguments.NAMES);
        roundTrips(new ServiceStateArguments(AWS, "jitsi-cluster", "jitsi"), ServiceStateArguments::of, ServiceStateArguments.NAMES);
        roundTrips(new VerifyArguments(AWS, "environments: {}", List.of("staging"), List.of("ecs", "dns"), "reports/verify.xml",
                "reports/verify.html", 7), VerifyArguments::of, VerifyArguments.NAMES);
        roundTrips(new WatermarkArguments(AWS, "replace", "branding/logo.svg", "/mnt/efs/fs1/x", "ssm", "jitsi-cluster", "jitsi", "web"),
                WatermarkArguments::of, WatermarkArguments.NAMES);
        roundTrips(new ProsodyArguments("moderator", "mod", "meet.jitsi", null, null, null, false, true, "xmpp",
                "wss://meet.example.org/xmpp-websocket", "prosody-admin"), ProsodyArguments::of, ProsodyArguments.NAMES);
        roundTrips(new ProsodyArguments("moderator", null, null, "/config/prosody.cfg.lua", null, "jitsi-staging-cluster", false, false,
                null, null, null), ProsodyArguments::of, ProsodyArguments.NAMES);
    }

    @Test
    void whatIsLeftOutTakesItsDefault() {
        WatermarkArguments status = WatermarkArguments.of(Map.of());
        assertThat(status.action()).isEqualTo("status");
        assertThat(status.via()).isEqualTo("local");
        assertThat(new WatermarkArguments(null, " ", null, null, null, "c", "s", null).via()).isEqualTo("ssm");
        assertThat(new WaitArguments(null, "c", "s", "", null, null, false, "", false).toMap()).isEqualTo(Map.of("cluster", "c", "service", "s"));
        assertThat(new ProsodyArguments("m", null, null, null, null, null, true, false, null, null, null).via()).isEqualTo("docker");
    }

    @Test
    void aTypedCallIsCheckedAsANamedOneIs() {
        assertThatThrownBy(() -> new DeployArguments(null, "jitsi-cluster", " ", 3, null, null, false, null, false, false, null, null,
                null, null, null, null, null, false)).isInstanceOf(InvalidInputException.class).hasMessage("ecsDeployRevision needs 'service'.");
        assertThatThrownBy(() -> new DeployArguments(null, "c", "s", 3, null, null, false, null, false, false, "c2", "s2", null, null, null,
                null, null, false)).hasMessageContaining("do not also give revision");
        assertThatThrownBy(() -> new DeployArguments(null, "c", "s", 3, null, null, false, null, false, false, null, null, null, null, null,
                null, null, true)).hasMessageContaining("dryRun is for promotions");
        assertThatThrownBy(() -> new DeployArguments(null, "c", "s", null, null, List.of("web"), false, null, false, false, null, null, null,
                null, null, null, null, false)).hasMessageContaining("'images' entry");
        assertThatThrownBy(() -> new WaitArguments(null, "c", "s", null, 0, null, false, null, false)).hasMessageContaining("'timeout' is in minutes");
        assertThatThrownBy(() -> new WaitArguments(null, "c", "s", null, null, null, true, null, false)).hasMessageContaining("rollbackOnFailure needs rollbackTo");
        assertThatThrownBy(() -> new VerifyArguments(null, null, null, List.of("ecs", "dnss"), null, null, null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new VerifyArguments(null, null, null, null, "../x.xml", null, null)).hasMessageContaining("inside the workspace");
        assertThatThrownBy(() -> new WatermarkArguments(new AwsAccess("eu-central-1", null, null), "hide", null, null, "local", null, null, null))
                .hasMessageContaining("region is for via: 'ssm'");
        assertThatThrownBy(() -> new WatermarkArguments(null, "replace", null, null, "ssm", "c", "s", null)).hasMessageContaining("'file' goes with");
        assertThatThrownBy(() -> new ProsodyArguments("m", null, null, null, "c1", "c2", false, false, "docker", null, null))
                .hasMessageContaining("exactly one of container, cluster and local");
        assertThatThrownBy(() -> new ProsodyArguments("m", null, null, null, null, null, false, false, "xmpp", "http://meet.example.org/", "a"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anUnknownNameIsRefusedWithTheNamesTheStepTakes() {
        assertThatThrownBy(() -> WaitArguments.of(Map.of("cluster", "c", "service", "s", "timeoutMinutes", 3)))
                .hasMessageContaining("waitForServiceStable does not take 'timeoutMinutes'; it takes: ")
                .hasMessageContaining("rollbackTimeout");
        assertThatThrownBy(() -> DeployArguments.of(Map.of("cluster", "c", "service", "s", "images", Map.of("web", "x"))))
                .hasMessageContaining("not a map");
    }
}
