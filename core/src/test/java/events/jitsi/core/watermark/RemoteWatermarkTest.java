package events.jitsi.core.watermark;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.time.RealScheduler;
import events.jitsi.testbed.SeedInstallation;
import events.jitsi.testbed.SsmHostAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import events.jitsi.core.SeededMoto;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The watermark through SSM Run Command against moto (ECS, EC2 and SSM seeded like the seed installation), the
 * commands run by {@link SsmHostAgent} with the real bash on a folder standing for the host's EFS mount.
 */
class RemoteWatermarkTest {
    @RegisterExtension
    static final SeededMoto MOTO = new SeededMoto();
    private SeedInstallation seed;
    private AwsServices aws;
    private final SsmHostAgent agent = new SsmHostAgent();
    private final List<String> log = new ArrayList<>();

    @TempDir
    Path tmp;
    Path images;
    RemoteWatermark.Target staging;

    @BeforeEach
    void seed() throws Exception {
        seed = MOTO.seed();
        aws = MOTO.clients("AKIDSSM", agent);
        images = Files.createDirectories(tmp.resolve("mnt/efs/fs1/jitsi/jitsi-meet/images"));
        Files.writeString(images.resolve("watermark.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"1\"/></svg>");
        staging = new RemoteWatermark.Target("jitsi-staging-cluster", "jitsi", "web", images.toString());
    }

    @AfterEach
    void close() {
        aws.close();
    }

    private RemoteWatermark remote() {
        return new RemoteWatermark(aws.ecs(), aws.ssm(), new RealScheduler(), Duration.ofSeconds(30), log::add);
    }

    private List<Command> commands() {
        return aws.ssm().listCommands(r -> { }).commands();
    }

    @Test
    void hideRestoreAndReplaceRunOnTheInstanceThatRunsTheWebTask() throws Exception {
        String instance = seed.environment("staging").instancesByRole().get("primary");

        WatermarkResult hidden = remote().hide(staging);
        assertThat(hidden.changed()).isTrue();
        assertThat(hidden.status().state()).isEqualTo(WatermarkStatus.State.HIDDEN);
        assertThat(hidden.message()).startsWith("Hid the watermark on " + instance);
        assertThat(images.resolve("watermark.svg")).doesNotExist();
        assertThat(images.resolve("watermark.svg_ba")).exists();

        assertThat(remote().restore(staging).status().state()).isEqualTo(WatermarkStatus.State.PRESENT);

        Path logo = Files.writeString(tmp.resolve("our logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" inkscape:version=\"1.3\"><rect width=\"4\" height=\"4\"/></svg>");
        WatermarkResult replaced = remote().replace(staging, logo);
        assertThat(replaced.status().state()).isEqualTo(WatermarkStatus.State.REPLACED);
        assertThat(replaced.dropped()).containsExactly("inkscape:version (http://www.inkscape.org/namespaces/inkscape)");
        assertThat(Files.readString(images.resolve("watermark.svg"))).contains("<rect width=\"4\" height=\"4\"></rect>").doesNotContain("inkscape");
        assertThat(replaced.status().sha256()).isEqualTo(Watermark.sha256(Files.readAllBytes(images.resolve("watermark.svg"))));
        assertThat(remote().replace(staging, logo).changed()).isFalse();

        assertThat(commands()).hasSize(4);
        assertThat(agent.sent()).hasSize(4).allSatisfy(c -> {
            assertThat(c.documentName()).isEqualTo("AWS-RunShellScript");
            assertThat(c.instanceIds()).containsExactly(instance);
            assertThat(c.parameters().get("executionTimeout")).containsExactly("120");
        });
        assertThat(agent.sent()).extracting(SendCommandRequest::comment).containsExactly("events-jitsi watermark hide jitsi",
                "events-jitsi watermark restore jitsi", "events-jitsi watermark replace jitsi", "events-jitsi watermark replace jitsi");
        // Each action: find the host (3 ECS reads), send, and ask for the result until it is there.
        assertThat(aws.calls().actions()).filteredOn("ssm:SendCommand"::equals).hasSize(4);
        assertThat(aws.calls().actions()).filteredOn("ecs:ListTasks"::equals).hasSize(4);
        assertThat(aws.calls().actions()).filteredOn(a -> a.startsWith("ssm:")).containsOnly("ssm:SendCommand", "ssm:GetCommandInvocation",
                "ssm:ListCommands");
        assertThat(log).anySatisfy(l -> assertThat(l).contains("SSM Run Command").contains(instance));
    }

    @Test
    void refusalsOnTheHostAreBadInputAndLeaveTheFolderAsItWas() throws Exception {
        Files.delete(images.resolve("watermark.svg"));
        assertThatThrownBy(() -> remote().hide(staging)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("There is no watermark.svg and no watermark.svg_ba in " + images + " on i-");
        Path secret = Files.writeString(tmp.resolve("secret"), "private");
        Files.createSymbolicLink(images.resolve("watermark.svg"), secret);
        assertThatThrownBy(() -> remote().status(staging)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("watermark.svg in " + images + " on i-").hasMessageContaining("is not a regular file (a link)");
        assertThat(Files.readString(secret)).isEqualTo("private");
        RemoteWatermark.Target nowhere = new RemoteWatermark.Target("jitsi-staging-cluster", "jitsi", "web", tmp.resolve("no such").toString());
        assertThatThrownBy(() -> remote().status(nowhere)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("does not exist or is not a folder");
    }

    @Test
    void anUnsafeOrOversizedSvgIsRefusedBeforeAnyAwsCall() throws Exception {
        Path unsafe = Files.writeString(tmp.resolve("evil.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>");
        assertThatThrownBy(() -> remote().replace(staging, unsafe)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("event attributes run scripts");
        // Random path data does not compress: well over SSM's limit once gzipped and encoded, under the 1 MiB file limit.
        java.util.Random random = new java.util.Random(7);
        StringBuilder big = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\">");
        while (big.length() < 300_000) {
            big.append("<path d=\"M").append(random.nextInt(100000)).append(' ').append(random.nextInt(100000)).append("h1\"/>");
        }
        Path large = Files.writeString(tmp.resolve("large.svg"), big.append("</svg>"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> remote().replace(staging, large)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("SSM Run Command takes at most 65536 (64 KiB, its document limit)");
        assertThat(aws.calls().actions()).isEmpty();
        assertThat(Files.readString(images.resolve("watermark.svg"))).contains("circle");
    }

    @Test
    void aServiceWithoutARunningTaskOrWithoutTheWebContainerIsBadInputNamingIt() {
        aws.ecs().listTasks(r -> r.cluster("jitsi-staging-cluster")).taskArns()
                .forEach(t -> aws.ecs().stopTask(r -> r.cluster("jitsi-staging-cluster").task(t)));
        assertThatThrownBy(() -> remote().hide(staging)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("No task of service jitsi runs in cluster jitsi-staging-cluster");
        RemoteWatermark.Target wrongContainer = new RemoteWatermark.Target("jitsi-cluster", "jitsi", "nginx", images.toString());
        assertThatThrownBy(() -> remote().hide(wrongContainer)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has a container named 'nginx'");
        assertThat(commands()).isEmpty();
        assertThat(images.resolve("watermark.svg")).exists();
    }
}
