package events.jitsi.core.prosody;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OptionNames;
import events.jitsi.core.OperationFailedException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Registers and removes Prosody accounts with prosodyctl (the engine behind {@code prosodyRegister} and
 * {@code events-jitsi prosody}). The password goes to prosodyctl's stdin, twice, as its prompt expects: never in an
 * argument list, an environment, the output or an exception message.
 */
public final class ProsodyAccounts implements AccountChanges {
    public static final String DEFAULT_CONFIG = "/config/prosody.cfg.lua";
    public static final String DEFAULT_DOMAIN = "meet.jitsi";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern DATA_PATH = Pattern.compile("(?m)^\\s*data_path\\s*=\\s*[\"']([^\"']+)[\"']");
    private static final Pattern ESCAPES = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    /** An XMPP domain as Prosody hosts it: lower-case DNS labels. */
    static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private final ProsodyTarget target;
    private final String config;
    private final String domain;

    public ProsodyAccounts(ProsodyTarget target, String config, String domain) {
        this.target = target;
        this.config = config == null || config.isBlank() ? DEFAULT_CONFIG : config;
        this.domain = domain == null || domain.isBlank() ? DEFAULT_DOMAIN : domain;
        if (!DOMAIN.matcher(this.domain).matches()) {
            throw new InvalidInputException("'" + this.domain + "' is not an XMPP domain such as meet.jitsi.");
        }
        if (!this.config.startsWith("/") || this.config.contains("\n")) {
            throw new InvalidInputException("The Prosody configuration must be an absolute path such as " + DEFAULT_CONFIG + ".");
        }
    }

    @Override
    public String describe() {
        return "prosodyctl on " + target.describe();
    }

    /** Creates the account or, when it exists, sets its password (prosodyctl's register is an upsert). */
    @Override
    public AccountResult register(String user, char[] password) {
        XmppUsername.validate(user);
        ProsodyPassword.validate(password);
        boolean existed = accountExists(readConfig(), user);
        byte[] stdin = twice(password);
        HostCommand.Outcome r;
        try {
            r = HostCommand.run(target.prosodyctl(List.of("--config", config, "register", user, domain)), stdin, TIMEOUT);
        } finally {
            Arrays.fill(stdin, (byte) 0);
        }
        String output = clean(r.output());
        if (r.exitCode() != 0) {
            throw failure("register", user, output);
        }
        String jid = user + "@" + domain;
        String message = existed ? "Changed the password of " + jid + "." : "Created the account " + jid + ".";
        return new AccountResult("register", jid, existed, target.describe(), message);
    }

    @Override
    public AccountResult unregister(String user) {
        XmppUsername.validate(user);
        readConfig();
        HostCommand.Outcome r = HostCommand.run(target.prosodyctl(List.of("--config", config, "unregister", user, domain)), new byte[0], TIMEOUT);
        String output = clean(r.output());
        if (r.exitCode() != 0) {
            throw failure("unregister", user, output);
        }
        String jid = user + "@" + domain;
        return new AccountResult("unregister", jid, true, target.describe(), "Removed the account " + jid + ".");
    }

    private RuntimeException failure(String action, String user, String output) {
        if (output.contains("The given user does not exist")) {
            return new InvalidInputException("There is no account " + user + "@" + domain + " to " + action + "; nothing was changed.");
        }
        if (output.contains("The given hostname does not exist in the config")) {
            return new InvalidInputException("Prosody's configuration " + config + " has no VirtualHost \"" + domain
                    + "\": check the domain (" + OptionNames.both("domain") + "; Jitsi's default is meet.jitsi); nothing was changed.");
        }
        if (output.contains("The given username is invalid")) {
            return new InvalidInputException("Prosody refused the username " + user + ": " + output);
        }
        return new OperationFailedException("prosodyctl " + action + " on " + target.describe() + " failed: " + output);
    }

    /**
     * Prosody's configuration as the target sees it. Read before anything else, so that a missing file, a missing
     * container or an unreachable Docker daemon is bad input with nothing attempted.
     */
    private String readConfig() {
        HostCommand.Outcome cat = HostCommand.run(target.exec(List.of("cat", config)), null, TIMEOUT);
        if (cat.exitCode() == 0) {
            return cat.output();
        }
        String said = cat.output().strip();
        if (said.contains("Cannot connect to the Docker daemon") || said.contains("Is the docker daemon running")) {
            throw new InvalidInputException("Docker is not reachable on this host: " + said
                    + " Run this where the Docker daemon runs, as a user that may use it; nothing was changed.");
        }
        if (said.contains("No such container")) {
            throw new InvalidInputException("There is no such container on this host: " + said + "; nothing was changed.");
        }
        throw new InvalidInputException("Cannot read Prosody's configuration " + config + " on " + target.describe() + ": " + said
                + ". Give its path (" + OptionNames.both("config") + "); newer images keep it at /run/prosody/config/prosody.cfg.lua. "
                + "Nothing was changed.");
    }

    /** Whether the account file exists where the configuration keeps data. */
    private boolean accountExists(String configuration, String user) {
        Matcher m = DATA_PATH.matcher(configuration);
        String dataPath = m.find() ? m.group(1) : "/var/lib/prosody";
        String file = dataPath + "/" + encode(domain) + "/accounts/" + encode(user) + ".dat";
        return HostCommand.run(target.exec(List.of("test", "-f", file)), null, TIMEOUT).exitCode() == 0;
    }

    /** Prosody's file-name encoding: every character that is not a letter or digit becomes %xx. */
    static String encode(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                sb.append(c);
            } else {
                sb.append(String.format("%%%02x", b & 0xff));
            }
        }
        return sb.toString();
    }

    private static byte[] twice(char[] password) {
        char[] lines = new char[password.length * 2 + 2];
        System.arraycopy(password, 0, lines, 0, password.length);
        lines[password.length] = '\n';
        System.arraycopy(password, 0, lines, password.length + 1, password.length);
        lines[lines.length - 1] = '\n';
        java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(lines));
        Arrays.fill(lines, '\0');
        byte[] out = new byte[bytes.remaining()];
        bytes.get(out);
        return out;
    }

    /**
     * prosodyctl's output without terminal escapes and password prompts, otherwise unchanged. prosodyctl never echoes
     * the password (it turns the terminal's echo off and prints nothing of what it reads), so nothing is searched for
     * and replaced: masking every occurrence of a short password would garble the text and show the password in the
     * gaps it leaves.
     */
    static String clean(String output) {
        String text = ESCAPES.matcher(output).replaceAll("");
        List<String> kept = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String l = line.replace("Enter new password:", "").replace("Retype new password:", "").strip();
            if (!l.isEmpty() && !l.startsWith("certmanager")) {
                kept.add(l);
            }
        }
        String result = String.join(" / ", kept);
        return result.isEmpty() ? "(no output)" : result;
    }
}
