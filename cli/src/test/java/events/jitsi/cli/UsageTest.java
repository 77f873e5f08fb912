package events.jitsi.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** How the command line reads what operators type: options in any place, typos named with the closest match, help that reads whole. */
class UsageTest {
    private final SimulatedCli cli = new SimulatedCli();

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void globalOptionsWorkAfterTheCommandToo() {
        assertThat(cli.run("deploy", "--json", "--cluster", "jitsi-staging-cluster", "--service", "jitsi", "--revision", "4")).isZero();
        assertThat(cli.out).startsWith("{").contains("\"taskDefinitionArn\"");
        assertThat(cli.run("status", "--region", "eu-central-1", "--json")).isZero();
        assertThat(cli.out).startsWith("{");
    }

    @Test
    void typosNameTheClosestMatch() {
        assertThat(cli.run("deploy", "--cluster", "jitsi-cluster", "--servce", "jitsi", "--revision", "12")).isEqualTo(2);
        assertThat(cli.err).startsWith("error: Unknown option '--servce'; did you mean --service?");
        assertThat(cli.run("depoly", "--cluster", "jitsi-cluster")).isEqualTo(2);
        assertThat(cli.err).startsWith("error: Unknown command 'depoly'; did you mean deploy?");
        assertThat(cli.run("verify", "--jnuit", "x.xml")).isEqualTo(2);
        assertThat(cli.err).contains("did you mean --junit?");
        assertThat(cli.run("deploy", "--cluster", "jitsi-cluster", "--service", "jitsi", "--frobnicate")).isEqualTo(2);
        assertThat(cli.err).startsWith("error: Unknown option '--frobnicate' (see --help)");
        assertThat(cli.nothingWritten()).isTrue();
    }

    @Test
    void imagesAreCheckedAsDockerReadsThemAndEachContainerOnce() {
        String[][] bad = {
                {"web", "is not CONTAINER=IMAGE"},
                {"web=jitsi/web x", "contains a space"},
                {"web=Jitsi/Web:stable", "its repository 'Jitsi/Web' has upper-case letters"},
                {"web=jitsi/web:", "its tag is empty"},
                {"web=jitsi/web@sha256:abc", "is not ALGORITHM:HEX"},
                {"web=jitsi/web@sha256:" + "a".repeat(63), "64"},
                {"web=jitsi/web:" + "t".repeat(129), "does not follow"},
        };
        for (String[] b : bad) {
            assertThat(cli.run("deploy", "--cluster", "jitsi-cluster", "--service", "jitsi", "--image", b[0])).as(b[0]).isEqualTo(2);
            assertThat(cli.err).as(b[0]).contains(b[1]).doesNotContain("option option");
        }
        assertThat(cli.run("deploy", "--cluster", "jitsi-cluster", "--service", "jitsi", "--image", "web=jitsi/web:a", "--image", "web=jitsi/web:b"))
                .isEqualTo(2);
        assertThat(cli.err).contains("--image names container 'web' twice (jitsi/web:a and jitsi/web:b)");
        assertThat(cli.nothingWritten()).isTrue();
        // What Docker does take: a registry with a port, nested paths, a digest.
        assertThat(cli.run("deploy", "--cluster", "jitsi-cluster", "--service", "jitsi", "--dry-run",
                "--image", "web=registry.example.org:5000/jitsi/web-custom_2:stable-10133@sha256:" + "0123456789abcdef".repeat(4))).isZero();
    }

    @Test
    void everyCommandsSummaryInTheListIsAWholeSentence() {
        CommandLine cl = Main.commandLine(Main.Environment.fixed(cli.aws, cli.time), System.out, System.err);
        cl.getSubcommands().forEach((name, sub) -> {
            String[] description = sub.getCommandSpec().usageMessage().description();
            assertThat(description).as(name).isNotEmpty();
            assertThat(description[0].strip()).as(name + "'s first line, shown in the list of commands").matches(".*[.?!)]$");
        });
    }
}
