package events.jitsi.cli;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.prosody.AccountResult;
import events.jitsi.core.prosody.ProsodyAccounts;
import events.jitsi.core.prosody.ProsodyTarget;
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
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "prosody", mixinStandardHelpOptions = true, description = "Register and remove Prosody accounts (e.g. for unlocking rooms) without a shell on the host.",
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
        @ParentCommand
        ProsodyCommand prosody;

        @Parameters(index = "0", paramLabel = "USER", description = "The account's name (the part before @).")
        String user;

        @Option(names = "--domain", defaultValue = ProsodyAccounts.DEFAULT_DOMAIN, description = "XMPP domain (default ${DEFAULT-VALUE}).")
        String domain;

        @Option(names = "--config", defaultValue = ProsodyAccounts.DEFAULT_CONFIG,
                description = "Prosody's configuration in the container (default ${DEFAULT-VALUE}; newer images use /run/prosody/config/prosody.cfg.lua).")
        String config;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Where where;

        ProsodyAccounts accounts() {
            return new ProsodyAccounts(where.target(), config, domain);
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true, description = {"Create an account or change its password.",
            "The password is read from the environment variable PROSODY_PASSWORD or, when it is unset, from one line on stdin."})
    static final class Register extends AccountCommand {
        @Override
        public Integer call() throws IOException {
            char[] password = readPassword();
            try {
                AccountResult r = accounts().register(user, password);
                prosody.main.output().result(r, r.message());
                return Main.OK;
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private static char[] readPassword() throws IOException {
            String fromEnvironment = System.getenv("PROSODY_PASSWORD");
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
            AccountResult r = accounts().unregister(user);
            prosody.main.output().result(r, r.message());
            return Main.OK;
        }
    }
}
