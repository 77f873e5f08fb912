package events.jitsi.cli;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.config.Environments;
import events.jitsi.core.prosody.AccountChanges;
import events.jitsi.core.prosody.AccountResult;
import events.jitsi.core.prosody.ProsodyAccounts;
import events.jitsi.core.prosody.ProsodyTarget;
import events.jitsi.core.prosody.XmppAccounts;
import events.jitsi.core.prosody.XmppEndpoint;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "prosody", mixinStandardHelpOptions = true, description = {"Register and remove Prosody accounts (e.g. for unlocking rooms) without a shell on the host.",
        "Over the meeting's XMPP endpoint as a Prosody admin (--via xmpp), or with prosodyctl in the container on this host (--via docker)."},
        subcommands = {ProsodyCommand.Register.class, ProsodyCommand.Unregister.class})
final class ProsodyCommand {
    @ParentCommand
    Main main;

    static final class Where {
        @Option(names = "--container", paramLabel = "NAME", description = "Run prosodyctl in this Docker container (docker exec -i).")
        String container;

        @Option(names = "--cluster", paramLabel = "CLUSTER",
                description = "Find the prosody container of this ECS cluster on this Docker host by the ECS agent's labels.")
        String cluster;

        @Option(names = "--local", description = "Run the prosodyctl on this machine's PATH (e.g. inside the container).")
        boolean local;

        ProsodyTarget target() {
            if (container != null) {
                return ProsodyTarget.container("docker", container);
            }
            if (cluster != null) {
                return ProsodyTarget.ofCluster("docker", cluster);
            }
            return ProsodyTarget.local("prosodyctl");
        }
    }

    abstract static class AccountCommand implements Callable<Integer> {
        /** Where the admin's password comes from over XMPP: never an argument. */
        static final String ADMIN_PASSWORD_VARIABLE = "XMPP_ADMIN_PASSWORD";

        @ParentCommand
        ProsodyCommand prosody;

        @Parameters(index = "0", paramLabel = "USER", description = "The account's name (the part before @).")
        String user;

        @Option(names = "--via", paramLabel = "xmpp|docker",
                description = "xmpp: the meeting's XMPP endpoint as a Prosody admin, from anywhere; docker: prosodyctl on this "
                        + "host. Default: xmpp when --endpoint is given or the environment has an xmpp section, else docker.")
        String via;

        @Option(names = "--environment", paramLabel = "NAME", description = "Take endpoint, domain and admin from this environment's xmpp section.")
        String environment;

        @Option(names = "--environments", paramLabel = "FILE", description = "Environments file for --environment (default: the built-in seed topology).")
        Path environmentsFile;

        @Option(names = "--endpoint", paramLabel = "URL",
                description = "XMPP endpoint: wss://HOST/xmpp-websocket, https://HOST/http-bind or xmpp://HOST:5222.")
        String endpoint;

        @Option(names = "--admin", paramLabel = "NAME",
                description = "A Prosody admin's account name or JID; its password from the environment variable " + ADMIN_PASSWORD_VARIABLE + ".")
        String admin;

        @Option(names = "--domain", paramLabel = "DOMAIN", description = "XMPP domain (default: the environment's, else meet.jitsi).")
        String domain;

        @Option(names = "--config", defaultValue = ProsodyAccounts.DEFAULT_CONFIG,
                description = "With docker: Prosody's configuration in the container (default ${DEFAULT-VALUE}; newer images use "
                        + "/run/prosody/config/prosody.cfg.lua).")
        String config;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        Where where;

        /** Runs {@code change} with the accounts of the chosen way; the admin password, read here, is wiped after. */
        AccountResult withAccounts(java.util.function.Function<AccountChanges, AccountResult> change) {
            Environments.Xmpp configured = environment == null ? null : Environments.loadOrDefault(environmentsFile).environment(environment).xmpp();
            if (environment != null && configured == null && !"docker".equals(via) && endpoint == null) {
                throw new InvalidInputException("Environment " + environment + " has no xmpp section: add xmpp: {endpoint, domain, admin} "
                        + "to the environments file, or give --endpoint and --admin, or use --via docker with --cluster.");
            }
            String chosen = via != null ? via : (endpoint != null || configured != null) ? "xmpp" : "docker";
            if (!chosen.equals("xmpp") && !chosen.equals("docker")) {
                throw new InvalidInputException("--via is '" + via + "'; give xmpp or docker.");
            }
            if (chosen.equals("docker")) {
                if (where == null) {
                    throw new InvalidInputException("Say where prosodyctl runs: --cluster CLUSTER, --container NAME or --local; or go over "
                            + "XMPP with --environment NAME (an environment with an xmpp section) or --endpoint URL --admin NAME.");
                }
                if (endpoint != null || admin != null) {
                    throw new InvalidInputException("--endpoint and --admin are for --via xmpp.");
                }
                return change.apply(new ProsodyAccounts(where.target(), config, domain == null ? ProsodyAccounts.DEFAULT_DOMAIN : domain));
            }
            if (where != null) {
                throw new InvalidInputException("--cluster, --container and --local are for --via docker; over XMPP nothing runs on the host.");
            }
            String url = endpoint != null ? endpoint : configured == null ? null : configured.endpoint();
            String adminName = admin != null ? admin : configured == null ? null : configured.admin();
            if (url == null || adminName == null) {
                throw new InvalidInputException("Over XMPP give the endpoint and the admin: --endpoint URL --admin NAME, or --environment NAME "
                        + "whose xmpp section has them.");
            }
            String adminPassword = prosody.main.variable(ADMIN_PASSWORD_VARIABLE);
            if (adminPassword == null || adminPassword.isEmpty()) {
                throw new InvalidInputException("Set " + ADMIN_PASSWORD_VARIABLE + " to the password of the admin " + adminName
                        + " (it is read from the environment, never from the command line); nothing was changed.");
            }
            char[] secret = adminPassword.toCharArray();
            try {
                XmppAccounts accounts = new XmppAccounts(XmppEndpoint.parse(url), domain != null ? domain : configured != null ? configured.domain()
                        : null, adminName, secret, XmppAccounts.DEFAULT_TIMEOUT);
                return change.apply(accounts);
            } finally {
                Arrays.fill(secret, '\0');
            }
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true, description = {"Create an account or change its password.",
            "The password is read from the environment variable PROSODY_PASSWORD or, when it is unset, from one line on stdin."})
    static final class Register extends AccountCommand {
        @Override
        public Integer call() throws IOException {
            char[] password = readPassword(prosody.main.variable("PROSODY_PASSWORD"));
            try {
                AccountResult r = withAccounts(accounts -> accounts.register(user, password));
                prosody.main.output().result(r, r.message());
                return Main.OK;
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private static char[] readPassword(String fromEnvironment) throws IOException {
            if (fromEnvironment != null) {
                return fromEnvironment.toCharArray();
            }
            Console console = System.console();
            if (console != null) {
                char[] typed = console.readPassword("Password: ");
                if (typed == null) {
                    throw new InvalidInputException("No password given: set PROSODY_PASSWORD or type it on stdin.");
                }
                return typed;
            }
            return firstLine(System.in);
        }

        /** One line from stdin, without ever making it a String. */
        static char[] firstLine(InputStream in) throws IOException {
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            char[] buffer = new char[256];
            int length = 0;
            for (int c = reader.read(); c != -1 && c != '\n'; c = reader.read()) {
                if (length == buffer.length) {
                    char[] bigger = Arrays.copyOf(buffer, buffer.length * 2);
                    Arrays.fill(buffer, '\0');
                    buffer = bigger;
                }
                buffer[length++] = (char) c;
            }
            if (length > 0 && buffer[length - 1] == '\r') {
                length--;
            }
            char[] line = Arrays.copyOf(buffer, length);
            Arrays.fill(buffer, '\0');
            return line;
        }
    }

    @Command(name = "unregister", mixinStandardHelpOptions = true, description = "Remove an account.")
    static final class Unregister extends AccountCommand {
        @Override
        public Integer call() {
            AccountResult r = withAccounts(accounts -> accounts.unregister(user));
            prosody.main.output().result(r, r.message());
            return Main.OK;
        }
    }
}
