package events.jitsi.core.prosody;

import events.jitsi.core.InvalidInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the real prosodyctl of Debian's prosody package (installed by .ci/run). */
class ProsodyAccountsTest {
    @TempDir
    Path tmp;
    ProsodyFixture prosody;
    ProsodyAccounts accounts;

    @BeforeAll
    static void prosodyIsInstalled() {
        assertTrue(Files.isExecutable(Path.of(ProsodyFixture.REAL_PROSODYCTL)),
                "Debian's prosody package is needed: apt-get install -y prosody (.ci/run does it)");
    }

    @BeforeEach
    void setUp() throws Exception {
        prosody = new ProsodyFixture(tmp);
        accounts = new ProsodyAccounts(ProsodyTarget.local(prosody.prosodyctl.toString()), prosody.config.toString(), "meet.jitsi");
    }

    @Test
    void registerCreatesThenChangesThePasswordAndTheStoredCredentialMatches() throws Exception {
        for (String password : ProsodyFixture.passwords()) {
            String user = "moderator";
            AccountResult r = accounts.register(user, password.toCharArray());
            assertThat(prosody.storedCredentialMatches(user, password)).as(password).isTrue();
            assertThat(r.message()).doesNotContain(password);
            assertThat(prosody.recordedArguments()).doesNotContain(password);
        }
        assertThat(accounts.register("fresh.user", "first password".toCharArray()).message())
                .isEqualTo("Created the account fresh.user@meet.jitsi.");
        AccountResult changed = accounts.register("fresh.user", "second password".toCharArray());
        assertThat(changed.existedBefore()).isTrue();
        assertThat(changed.message()).isEqualTo("Changed the password of fresh.user@meet.jitsi.");
        assertThat(prosody.storedCredentialMatches("fresh.user", "second password")).isTrue();
        assertThat(prosody.storedCredentialMatches("fresh.user", "first password")).isFalse();
        assertThat(Path.of("/tmp/pwned")).doesNotExist();
    }

    @Test
    void thePasswordIsInNoArgumentListOfAnyProcessStarted() throws Exception {
        String password = "s3cret with spaces";
        accounts.register("alice", password.toCharArray());
        String argv = prosody.recordedArguments();
        assertThat(argv).contains("--config\n" + prosody.config + "\nregister\nalice\nmeet.jitsi\n--");
        assertThat(argv).doesNotContain(password).doesNotContain("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Alice", "al ice", "alice@meet.jitsi", "-alice", "al/ice", "al:ice", "ali\"ce", "a&b",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ""})
    void invalidUsernamesAreRefusedBeforeAnythingRuns(String user) {
        assertThatThrownBy(() -> accounts.register(user, "pw".toCharArray())).isInstanceOf(InvalidInputException.class);
        assertThat(prosody.argvLog).doesNotExist();
        assertThat(prosody.data.resolve("meet%2ejitsi")).doesNotExist();
    }

    @Test
    void theMessageSaysWhichCharacterIsNotAllowed() {
        assertThatThrownBy(() -> accounts.register("bob@x", "pw".toCharArray()))
                .hasMessageContaining("'@' at position 4");
        assertThatThrownBy(() -> accounts.register("Bob", "pw".toCharArray()))
                .hasMessageContaining("'B' at position 1").hasMessageContaining("lower case");
    }

    @Test
    void anEmptyPasswordIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> accounts.register("alice", new char[0])).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("password is empty");
        assertThat(prosody.argvLog).doesNotExist();
    }

    @Test
    void unregisterRemovesTheAccountAndAMissingOneIsAClearError() throws Exception {
        accounts.register("leaving", "pw pw".toCharArray());
        assertThat(prosody.accountFile("leaving")).exists();
        assertThat(accounts.unregister("leaving").message()).isEqualTo("Removed the account leaving@meet.jitsi.");
        assertThat(prosody.accountFile("leaving")).doesNotExist();
        assertThatThrownBy(() -> accounts.unregister("leaving")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("There is no account leaving@meet.jitsi to unregister");
    }

    @Test
    void anUnknownDomainIsBadInputNamingTheDomain() {
        ProsodyAccounts other = new ProsodyAccounts(ProsodyTarget.local(prosody.prosodyctl.toString()), prosody.config.toString(), "meet.example");
        assertThatThrownBy(() -> other.register("alice", "pw".toCharArray())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no VirtualHost \"meet.example\"");
    }

    @Test
    void prosodyctlFailuresComeBackWithItsMessageWithoutEscapeCodes() throws Exception {
        Files.writeString(prosody.config, Files.readString(prosody.config).replace("storage = \"internal\"", "storage = \"nonsense_backend\""));
        assertThatThrownBy(() -> accounts.register("alice", "topsecret".toCharArray()))
                .isInstanceOf(RuntimeException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001B").doesNotContain("topsecret")
                        .doesNotContain("Enter new password"));
    }

    @Test
    void aContainerFoundByTheEcsAgentsLabelsRunsProsodyctlThroughDockerExec() throws Exception {
        prosody.containers("ecs-jitsi-meet-task-staging-5-prosody-bcf5e7c8bfd8b2f93b00 jitsi-staging-cluster prosody",
                "ecs-jitsi-meet-task-staging-5-web-a1b2c3d4e5f6a7b8c9d0 jitsi-staging-cluster web",
                "ecs-jitsi-meet-task-12-prosody-0123456789abcdef0123 jitsi-cluster prosody");
        ProsodyTarget target = ProsodyTarget.ofCluster(prosody.docker.toString(), "jitsi-staging-cluster");
        assertThat(target.describe()).isEqualTo("container ecs-jitsi-meet-task-staging-5-prosody-bcf5e7c8bfd8b2f93b00");

        AccountResult r = new ProsodyAccounts(target, prosody.config.toString(), "meet.jitsi").register("guest", "via docker".toCharArray());
        assertThat(r.message()).isEqualTo("Created the account guest@meet.jitsi.");
        assertThat(prosody.storedCredentialMatches("guest", "via docker")).isTrue();
        assertThat(prosody.recordedArguments())
                .contains("exec\n-i\necs-jitsi-meet-task-staging-5-prosody-bcf5e7c8bfd8b2f93b00\nprosodyctl\n--config")
                .doesNotContain("via docker");
    }

    @Test
    void noneOrSeveralProsodyContainersAreClearErrors() throws Exception {
        prosody.containers("ecs-jitsi-meet-task-12-prosody-0123456789abcdef0123 jitsi-cluster prosody",
                "ecs-jitsi-meet-task-13-prosody-ffffffffffffffffffff jitsi-cluster prosody");
        assertThatThrownBy(() -> ProsodyTarget.ofCluster(prosody.docker.toString(), "jitsi-staging-cluster"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("No running prosody container of ECS cluster jitsi-staging-cluster");
        assertThatThrownBy(() -> ProsodyTarget.ofCluster(prosody.docker.toString(), "jitsi-cluster"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ecs-jitsi-meet-task-12-prosody-0123456789abcdef0123, ecs-jitsi-meet-task-13-prosody-ffffffffffffffffffff")
                .hasMessageContaining("--container");
    }

    @Test
    void theOutputIsCleanedOfEscapesAndPromptsAndOtherwiseUnchanged() {
        String raw = "Enter new password: \u001B[08m\u001B[00m\nRetype new password: \u001B[08m\u001B[00m\nThe given hostname does not exist in the config\n";
        assertThat(ProsodyAccounts.clean(raw)).isEqualTo("The given hostname does not exist in the config");
    }

    @Test
    void aShortPasswordThatIsPartOfProsodysMessageLeavesTheMessageIntactAndUnreadable() {
        // "on" is in "does not exist in the config": masking it would print "c****fig" and miss the error.
        ProsodyAccounts other = new ProsodyAccounts(ProsodyTarget.local(prosody.prosodyctl.toString()), prosody.config.toString(), "meet.example");
        assertThatThrownBy(() -> other.register("alice", "on".toCharArray())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no VirtualHost \"meet.example\"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("*"));
    }

    @Test
    void aMissingConfigurationIsBadInputAndNothingIsAttempted() throws Exception {
        ProsodyAccounts wrong = new ProsodyAccounts(ProsodyTarget.local(prosody.prosodyctl.toString()), tmp.resolve("nowhere.cfg.lua").toString(), "meet.jitsi");
        assertThatThrownBy(() -> wrong.register("alice", "pw".toCharArray())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Cannot read Prosody's configuration " + tmp.resolve("nowhere.cfg.lua"))
                .hasMessageContaining("/run/prosody/config/prosody.cfg.lua");
        assertThat(prosody.recordedArguments()).doesNotContain("register");
    }

    @Test
    void anUnreachableDockerDaemonIsBadInputAndNothingIsAttempted() throws Exception {
        Path docker = tmp.resolve("docker-without-daemon");
        Files.writeString(docker, "#!/bin/sh\necho 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2\nexit 1\n");
        Files.setPosixFilePermissions(docker, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        ProsodyAccounts viaDocker = new ProsodyAccounts(ProsodyTarget.container(docker.toString(), "prosody"), ProsodyAccounts.DEFAULT_CONFIG, "meet.jitsi");
        assertThatThrownBy(() -> viaDocker.register("alice", "pw".toCharArray())).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Docker is not reachable on this host");
        assertThatThrownBy(() -> ProsodyTarget.ofCluster(docker.toString(), "jitsi-staging-cluster")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("docker ps failed, so nothing was attempted");
        assertThatThrownBy(() -> ProsodyTarget.ofCluster(tmp.resolve("no-docker-here").toString(), "jitsi-staging-cluster"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is it installed and on PATH?");
    }
}
