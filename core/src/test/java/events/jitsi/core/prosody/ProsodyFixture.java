package events.jitsi.core.prosody;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prosody configuration and data folder of the test's own (not /etc), a prosodyctl wrapper on a private PATH that
 * records every argument list it is started with, and a docker stand-in that answers like Docker.
 */
public final class ProsodyFixture {
    public static final String REAL_PROSODYCTL = "/usr/bin/prosodyctl";
    public final Path root;
    public final Path config;
    public final Path data;
    public final Path prosodyctl;
    public final Path docker;
    public final Path argvLog;

    public ProsodyFixture(Path root) throws IOException {
        this.root = root;
        this.data = Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("certs"));
        this.config = root.resolve("prosody.cfg.lua");
        Files.writeString(config, String.join("\n",
                "-- written by the test; prosodyctl as root would otherwise switch to the prosody user",
                "run_as_root = true",
                "data_path = \"" + data + "\"",
                "certificates = \"" + root.resolve("certs") + "\"",
                "pidfile = \"" + data.resolve("prosody.pid") + "\"",
                "log = { { levels = { min = \"error\" }, to = \"console\" } }",
                "authentication = \"internal_hashed\"",
                "storage = \"internal\"",
                "VirtualHost \"meet.jitsi\"",
                "VirtualHost \"auth.meet.jitsi\"", ""));
        this.argvLog = root.resolve("argv.log");
        this.prosodyctl = root.resolve("prosodyctl");
        script(prosodyctl, """
                #!/bin/sh
                # Records the argument list, one argument a line, then runs the real prosodyctl.
                for a in "$@"; do printf '%s\\n' "$a" >> "$(dirname "$0")/argv.log"; done
                echo '--' >> "$(dirname "$0")/argv.log"
                exec /usr/bin/prosodyctl "$@"
                """);
        this.docker = root.resolve("docker");
        script(docker, """
                #!/bin/bash
                # Answers `docker ps --filter label=... --format {{.Names}}` from the file `containers`
                # (name, cluster, container name per line) and runs `docker exec [-i] NAME CMD...` here.
                dir="$(dirname "$0")"
                for a in "$@"; do printf '%s\\n' "$a" >> "$dir/argv.log"; done
                echo '--' >> "$dir/argv.log"
                case "$1" in
                  ps)
                    shift; cluster=""; cname=""
                    while [ $# -gt 0 ]; do
                      case "$1" in
                        --filter)
                          case "$2" in
                            label=com.amazonaws.ecs.cluster=*) cluster="${2#label=com.amazonaws.ecs.cluster=}";;
                            label=com.amazonaws.ecs.container-name=*) cname="${2#label=com.amazonaws.ecs.container-name=}";;
                          esac
                          shift 2;;
                        --format) shift 2;;
                        *) shift;;
                      esac
                    done
                    touch "$dir/containers"
                    while read -r n c cn; do
                      if [ "$c" = "$cluster" ] && [ "$cn" = "$cname" ]; then echo "$n"; fi
                    done < "$dir/containers"
                    ;;
                  exec)
                    shift
                    if [ "$1" = "-i" ]; then shift; fi
                    name="$1"; shift
                    if ! grep -q "^$name " "$dir/containers" 2>/dev/null; then
                      echo "Error response from daemon: No such container: $name" >&2; exit 1
                    fi
                    cmd="$1"; shift
                    if [ "$cmd" = prosodyctl ]; then exec "$dir/prosodyctl" "$@"; else exec "$cmd" "$@"; fi
                    ;;
                  *) echo "docker stand-in: unsupported command $1" >&2; exit 125;;
                esac
                """);
    }

    public void containers(String... lines) throws IOException {
        Files.writeString(root.resolve("containers"), lines.length == 0 ? "" : String.join("\n", lines) + "\n");
    }

    private static void script(Path path, String text) throws IOException {
        Files.writeString(path, text);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public String recordedArguments() throws IOException {
        return Files.exists(argvLog) ? Files.readString(argvLog) : "";
    }

    public Path accountFile(String user) {
        return data.resolve("meet%2ejitsi").resolve("accounts").resolve(ProsodyAccounts.encode(user) + ".dat");
    }

    /** Recomputes SCRAM-SHA-1 from the password and the stored salt and compares with the stored keys. */
    public boolean storedCredentialMatches(String user, String password) throws IOException, GeneralSecurityException {
        String dat = Files.readString(accountFile(user));
        String salt = field(dat, "salt");
        int iterations = Integer.parseInt(field(dat, "iteration_count"));
        byte[] salted = pbkdf2(password.getBytes(StandardCharsets.UTF_8), salt.getBytes(StandardCharsets.UTF_8), iterations);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = MessageDigest.getInstance("SHA-1").digest(clientKey);
        byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(storedKey).equals(field(dat, "stored_key"))
                && HexFormat.of().formatHex(serverKey).equals(field(dat, "server_key"));
    }

    private static String field(String dat, String name) {
        Matcher m = Pattern.compile("\\[\"" + name + "\"\\]\\s*=\\s*\"?([^\";]*)\"?;").matcher(dat);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + dat);
        }
        return m.group(1);
    }

    private static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) throws GeneralSecurityException {
        byte[] block = new byte[salt.length + 4];
        System.arraycopy(salt, 0, block, 0, salt.length);
        block[block.length - 1] = 1;
        byte[] u = hmac(password, block);
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = hmac(password, u);
            for (int k = 0; k < result.length; k++) {
                result[k] ^= u[k];
            }
        }
        return result;
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac.doFinal(data);
    }

    static List<String> passwords() {
        return List.of("correct horse battery staple", "quote\"s and 'single' quotes", "back\\slash\\\\es \\n",
                "pässwörd ☃ € ünïcödé", "$(touch /tmp/pwned) `id` ; | & > <");
    }
}
