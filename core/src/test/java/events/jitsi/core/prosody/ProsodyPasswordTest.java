package events.jitsi.core.prosody;

import events.jitsi.core.InvalidInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The password rules checked before prosodyctl runs, compared with what Debian's real prosodyctl accepts. */
class ProsodyPasswordTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void prosodyIsInstalled() {
        assertTrue(Files.isExecutable(Path.of(ProsodyFixture.REAL_PROSODYCTL)),
                "Debian's prosody package is needed: apt-get install -y prosody (.ci/run does it)");
    }

    /** Passwords near every rule: controls, bidi, spaces that SASLprep maps, characters it maps to nothing, lengths. */
    static List<String> candidates() {
        List<String> c = new ArrayList<>(List.of("plain", "with spaces", " leading and trailing ", "caf\u00e9", "\u00e4\u00f6\u00fc\u00df",
                "a\tb", "a\u001bb", "a\u0001b", "a\u007fb", "a\u0000b", "a\u0085b", "a\u2028b", "a\u2029b",
                "a\u202eb", "a\u202ab", "a\u200eb", "a\u200fb", "a\u206ab",
                "a\u00a0b", "\u00a0", "a\u2000b", "a\u3000b", "a\u00adb", "a\u200bb", "a\ufeffb",
                "a\ue000b", "a\udb80\udc00b", "a\ufdd0b", "a\ufffeb", "a\ufffdb", "a\u2ff0b", "a\u0340b", "a\udb40\udc01b",
                "\u05d0\u05d1", "\u05d01\u05d1", "1\u05d0", "\u05d0a\u05d1", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
                "a\u0378b", "a\ud83d\ude00b", "\uff21\uff22", "\u2163", "\ufb01"));
        c.add("a".repeat(1023));
        c.add("a".repeat(1024));
        c.add("a".repeat(2000));
        c.add("\u00e9".repeat(511));
        c.add("\u00e9".repeat(512));
        c.add("\u00a0".repeat(600));
        c.add("a" + "\u00ad".repeat(600));
        c.add("\u20ac".repeat(341));
        c.add("\u20ac".repeat(342));
        return c;
    }

    @Test
    void acceptsExactlyThePasswordsTheRealProsodyctlAccepts() throws Exception {
        ProsodyFixture prosody = new ProsodyFixture(tmp);
        Map<String, String> disagreements = new LinkedHashMap<>();
        int accepted = 0;
        int refused = 0;
        int n = 0;
        for (String password : candidates()) {
            boolean prosodyAccepts = realProsodyctlRegisters(prosody, "user" + n++, password);
            boolean weAccept;
            try {
                ProsodyPassword.validate(password.toCharArray());
                weAccept = true;
            } catch (InvalidInputException e) {
                weAccept = false;
            }
            if (prosodyAccepts != weAccept) {
                disagreements.put(escaped(password), "prosodyctl " + (prosodyAccepts ? "accepts" : "refuses") + ", we " + (weAccept ? "accept" : "refuse"));
            }
            if (prosodyAccepts) {
                accepted++;
            } else {
                refused++;
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(accepted).as("candidates prosodyctl accepts").isGreaterThan(15);
        assertThat(refused).as("candidates prosodyctl refuses").isGreaterThan(15);
    }

    @Test
    void eachRefusalNamesTheRuleAndNothingOfThePassword() {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("tab\there", "ASCII control character such as TAB or ESC");
        rules.put("esc\u001bhere", "ASCII control character such as TAB or ESC");
        rules.put("sep\u2028here", "non-ASCII control character");
        rules.put("rlo\u202ehere", "changes the display or direction of text");
        rules.put("pua\ue000here", "private-use character");
        rules.put("1\u05d0", "bidirectional rule");
        rules.put("x".repeat(2000), "at most 1023 bytes in UTF-8");
        rules.put("line\nbreak", "line break");
        rules.forEach((password, rule) -> assertThatThrownBy(() -> ProsodyPassword.validate(password.toCharArray()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(rule)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("here").doesNotContain("xxxx").doesNotContain("2000")
                        .doesNotContain("\\u").doesNotContain("0x")));
    }

    private static boolean realProsodyctlRegisters(ProsodyFixture prosody, String user, String password) throws Exception {
        Process p = new ProcessBuilder(ProsodyFixture.REAL_PROSODYCTL, "--config", prosody.config.toString(), "register", user, "meet.jitsi")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((password + "\n" + password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("prosodyctl ended").isTrue();
        return p.exitValue() == 0;
    }

    private static String escaped(String s) {
        StringBuilder b = new StringBuilder();
        String shown = s.length() > 40 ? s.substring(0, 12) + "...(" + s.length() + " chars)" : s;
        shown.codePoints().forEach(c -> b.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return b.toString();
    }
}
