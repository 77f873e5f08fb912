package events.jitsi.core.prosody;

import events.jitsi.core.InvalidInputException;
import events.jitsi.testbed.LocalProsody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** XEP-0133 against Debian's real Prosody on loopback, over WebSocket, BOSH and the client port. */
class XmppAccountsTest {
    @TempDir
    static Path tmp;
    static LocalProsody prosody;

    @BeforeAll
    static void start() throws Exception {
        prosody = new LocalProsody(Files.createDirectories(tmp.resolve("prosody")));
    }

    @AfterAll
    static void stop() throws Exception {
        prosody.close();
    }

    private static XmppAccounts accounts(String endpoint, String admin, String password) {
        return new XmppAccounts(XmppEndpoint.parse(endpoint), LocalProsody.DOMAIN, admin, password.toCharArray(), Duration.ofSeconds(20));
    }

    private static XmppAccounts admin(String endpoint) {
        return accounts(endpoint, LocalProsody.ADMIN, LocalProsody.ADMIN_PASSWORD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "bosh", "tcp"})
    void registerChangeAndUnregisterOverEachTransport(String transport) {
        String endpoint = switch (transport) {
            case "websocket" -> prosody.websocket();
            case "bosh" -> prosody.bosh();
            default -> prosody.tcp();
        };
        String user = "user-" + transport;
        XmppAccounts accounts = admin(endpoint);

        AccountResult created = accounts.register(user, "first password".toCharArray());
        assertThat(created.message()).isEqualTo("Registered " + user + "@meet.jitsi and logged in as it.");
        assertThat(created.existedBefore()).isFalse();
        assertThat(prosody.accountExists(user)).isTrue();

        AccountResult changed = accounts.register(user, "second password".toCharArray());
        assertThat(changed.message()).isEqualTo("Changed the password of " + user + "@meet.jitsi and logged in as it.");
        assertThat(changed.existedBefore()).isTrue();
        assertThat(accounts.loginRefused(user, "first password".toCharArray())).isTrue();
        assertThat(accounts.loginRefused(user, "second password".toCharArray())).isFalse();

        assertThat(accounts.unregister(user).message()).isEqualTo("Removed the account " + user + "@meet.jitsi.");
        assertThat(prosody.accountExists(user)).isFalse();
        assertThat(accounts.loginRefused(user, "second password".toCharArray())).isTrue();
        assertThatThrownBy(() -> accounts.unregister(user)).isInstanceOf(InvalidInputException.class)
                .hasMessage("There is no account " + user + "@meet.jitsi to unregister; nothing was changed.");
    }

    @Test
    void hostilePasswordsRegisterAndLogInAndAppearNowhere() throws Exception {
        List<String> passwords = new ArrayList<>(ProsodyFixture.passwords());
        passwords.add("  spaces around  ");
        passwords.add("x".repeat(1000));
        passwords.add("日本語のパスワード");
        XmppAccounts accounts = admin(prosody.websocket());
        Set<String> commandLines = ConcurrentHashMap.newKeySet();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                    processes.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                        try {
                            commandLines.add(new String(Files.readAllBytes(p.resolve("cmdline"))));
                        } catch (Exception gone) {
                            // the process ended between listing and reading
                        }
                    });
                } catch (Exception ignored) {
                    // /proc is always there on Linux; a failed listing is retried
                }
            }
        });
        sampler.start();
        List<String> messages = new ArrayList<>();
        try {
            int n = 0;
            for (String password : passwords) {
                AccountResult r = accounts.register("hostile" + n++, password.toCharArray());
                assertThat(r.message()).endsWith("and logged in as it.");
                messages.add(r.message() + r.target());
            }
        } finally {
            sampling.set(false);
            sampler.join();
        }
        String everything = String.join("\n", commandLines) + String.join("\n", messages) + prosody.log();
        assertThat(commandLines).isNotEmpty();
        for (String password : passwords) {
            assertThat(everything).doesNotContain(password.strip());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"o'brien", "two words", "\"quoted\"", "jürgen", "ünïcödé", "a@b", "x", ""})
    void hostileUserNamesAreRefusedAndNothingIsCreated(String user) {
        String name = user.equals("x") ? "x".repeat(1000) : user;
        assertThatThrownBy(() -> admin(prosody.websocket()).register(name, "pw pw".toCharArray()))
                .isInstanceOf(InvalidInputException.class);
        assertThat(prosody.data.resolve("meet%2ejitsi/accounts")).isDirectoryNotContaining(
                "glob:**/{o*,two*,*quoted*,j*,*c*d*,a%40b*,xxxx*}.dat");
    }

    @Test
    void aNonAdminAndAWrongAdminPasswordAreRefusedAndNothingIsCreated() {
        assertThatThrownBy(() -> accounts(prosody.websocket(), LocalProsody.OTHER, LocalProsody.OTHER_PASSWORD)
                .register("by-guest", "pw pw".toCharArray()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("guest@meet.jitsi may not run add-user on meet.jitsi: make it an admin (admins = { \"guest@meet.jitsi\" } "
                        + "in Prosody's configuration); nothing was changed.");
        assertThatThrownBy(() -> accounts(prosody.bosh(), LocalProsody.ADMIN, "wrong").register("by-wrong", "pw pw".toCharArray()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("The admin focus@meet.jitsi could not log in (not-authorized): check the admin credential")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong"));
        assertThat(prosody.accountExists("by-guest")).isFalse();
        assertThat(prosody.accountExists("by-wrong")).isFalse();
    }

    @Test
    void aPasswordProsodyWouldRefuseIsRefusedBeforeConnecting() {
        assertThatThrownBy(() -> admin(prosody.websocket()).register("tabbed", "tab\there".toCharArray()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ASCII control character");
        assertThat(prosody.accountExists("tabbed")).isFalse();
    }

    @Test
    void aServerWithoutTheAdminCommandsAndAnEndpointThatDoesNotAnswerAreClearRefusals() throws Exception {
        try (LocalProsody bare = new LocalProsody(Files.createDirectories(tmp.resolve("bare")), false)) {
            assertThatThrownBy(() -> admin(bare.websocket()).register("someone", "pw pw".toCharArray()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("Prosody at " + bare.websocket() + " does not offer http://jabber.org/protocol/admin#add-user: add "
                            + "\"admin_adhoc\" to modules_enabled in its configuration; nothing was changed.");
            assertThat(bare.accountExists("someone")).isFalse();
        }
        assertThatThrownBy(() -> admin("ws://127.0.0.1:9/xmpp-websocket").register("someone", "pw pw".toCharArray()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Cannot reach Prosody's XMPP endpoint ws://127.0.0.1:9/xmpp-websocket");
    }

    @Test
    void endpointsWithoutEncryptionAreOnlyForThisMachine() {
        assertThat(XmppEndpoint.parse("wss://meet.example.org/xmpp-websocket").transport()).isEqualTo(XmppEndpoint.Transport.WEBSOCKET);
        assertThat(XmppEndpoint.parse("https://meet.example.org/http-bind").port()).isEqualTo(443);
        assertThat(XmppEndpoint.parse("xmpp://meet.example.org").port()).isEqualTo(5222);
        assertThat(XmppEndpoint.parse("xmpp://meet.example.org").encrypted()).isTrue();
        for (String clear : List.of("ws://meet.example.org/xmpp-websocket", "http://meet.example.org/http-bind", "ws://127.0.0.1.nip.io/x")) {
            assertThatThrownBy(() -> XmppEndpoint.parse(clear)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("is not encrypted: the admin password would cross the network in clear");
        }
        assertThatThrownBy(() -> XmppEndpoint.parse("https://admin:secret@meet.example.org/http-bind"))
                .hasMessageContaining("https://***@meet.example.org/http-bind").hasMessageContaining("no user or password");
        assertThatThrownBy(() -> XmppEndpoint.parse("ftp://meet.example.org/")).hasMessageContaining("must start with wss://");
    }
}
