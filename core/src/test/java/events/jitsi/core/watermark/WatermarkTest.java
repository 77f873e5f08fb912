package events.jitsi.core.watermark;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OperationFailedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static events.jitsi.core.watermark.WatermarkStatus.State.HIDDEN;
import static events.jitsi.core.watermark.WatermarkStatus.State.MISSING;
import static events.jitsi.core.watermark.WatermarkStatus.State.PRESENT;
import static events.jitsi.core.watermark.WatermarkStatus.State.REPLACED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class WatermarkTest {
    @TempDir
    Path dir;
    @TempDir
    Path uploads;
    byte[] original;
    Path logo;
    Watermark watermark;

    @BeforeEach
    void setUp() throws IOException {
        original = SvgSafetyTest.resource("jitsi-watermark.svg");
        logo = uploads.resolve("event-logo.svg");
        Files.write(logo, SvgSafetyTest.resource("design-tool-export.svg"));
        watermark = new Watermark(dir);
    }

    private void startFrom(WatermarkStatus.State state) throws IOException {
        switch (state) {
            case PRESENT -> Files.write(dir.resolve("watermark.svg"), original);
            case REPLACED -> {
                Files.write(dir.resolve("watermark.svg_ba"), original);
                Files.write(dir.resolve("watermark.svg"), Files.readAllBytes(logo));
            }
            case HIDDEN -> Files.write(dir.resolve("watermark.svg_ba"), original);
            case MISSING -> { }
        }
        assertThat(watermark.status().state()).isEqualTo(state);
    }

    /** Every file in the folder with its content, to prove a failure changed nothing. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                files.put(p.getFileName().toString(), Watermark.sha256(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    private String sha(byte[] b) {
        return Watermark.sha256(b);
    }

    @Test
    void statusReportsEachState() throws IOException {
        assertThat(watermark.status()).isEqualTo(new WatermarkStatus(MISSING, null, null));
        Files.write(dir.resolve("watermark.svg"), original);
        assertThat(watermark.status()).isEqualTo(new WatermarkStatus(PRESENT, sha(original), null));
    }

    @Test
    void hideTwiceFromPresentKeepsTheFirstBackup() throws IOException {
        startFrom(PRESENT);
        WatermarkResult first = watermark.hide();
        WatermarkResult second = watermark.hide();

        assertThat(first.changed()).isTrue();
        assertThat(first.message()).contains("Browsers cache");
        assertThat(second.changed()).isFalse();
        assertThat(watermark.status()).isEqualTo(new WatermarkStatus(HIDDEN, null, sha(original)));
    }

    @Test
    void hideTwiceFromReplacedRemovesTheReplacementAndKeepsTheOriginal() throws IOException {
        startFrom(REPLACED);
        watermark.hide();
        watermark.hide();
        assertThat(watermark.status()).isEqualTo(new WatermarkStatus(HIDDEN, null, sha(original)));
    }

    @Test
    void hideFromMissingIsAnErrorThatChangesNothing() throws IOException {
        startFrom(MISSING);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> watermark.hide()).isInstanceOf(InvalidInputException.class).hasMessageContaining("nothing to hide");
        }
        assertThat(snapshot()).isEmpty();
    }

    @Test
    void restoreTwiceFromHiddenBringsTheOriginalBackThenSaysThereIsNoBackup() throws IOException {
        startFrom(HIDDEN);
        assertThat(watermark.restore().changed()).isTrue();
        Map<String, String> after = snapshot();
        assertThatThrownBy(() -> watermark.restore()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no backup watermark.svg_ba").hasMessageContaining("already the original");
        assertThat(snapshot()).isEqualTo(after).containsOnlyKeys("watermark.svg");
        assertThat(watermark.status()).isEqualTo(new WatermarkStatus(PRESENT, sha(original), null));
    }

    @Test
    void restoreTwiceFromReplacedPutsTheOriginalBack() throws IOException {
        startFrom(REPLACED);
        watermark.restore();
        assertThatThrownBy(() -> watermark.restore()).isInstanceOf(InvalidInputException.class);
        assertThat(watermark.status()).isEqualTo(new WatermarkStatus(PRESENT, sha(original), null));
    }

    @Test
    void restoreFromPresentOrMissingIsAnError() throws IOException {
        startFrom(PRESENT);
        Map<String, String> before = snapshot();
        assertThatThrownBy(() -> watermark.restore()).isInstanceOf(InvalidInputException.class);
        assertThat(snapshot()).isEqualTo(before);
        Files.delete(dir.resolve("watermark.svg"));
        assertThatThrownBy(() -> watermark.restore()).isInstanceOf(InvalidInputException.class);
        assertThat(snapshot()).isEmpty();
    }

    @Test
    void replaceTwiceFromPresentBacksUpOnceAndServesTheLogo() throws IOException {
        startFrom(PRESENT);
        WatermarkResult first = watermark.replace(logo);
        WatermarkResult second = watermark.replace(logo);

        assertThat(first.changed()).isTrue();
        assertThat(second.changed()).isFalse();
        byte[] served = Files.readAllBytes(dir.resolve("watermark.svg"));
        assertThat(watermark.status()).isEqualTo(new WatermarkStatus(REPLACED, sha(served), sha(original)));
        // What is served is the checked document written anew, not the uploaded bytes.
        assertThat(served).isEqualTo(SvgSafety.check(Files.readAllBytes(logo)).canonical());
        assertThat(first.uploadedSha256()).isEqualTo(sha(Files.readAllBytes(logo)));
        // nginx reads it as another user.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("watermark.svg")))).isEqualTo("rw-r--r--");
        assertThat(snapshot()).containsOnlyKeys("watermark.svg", "watermark.svg_ba");
    }

    @Test
    void replaceFromReplacedKeepsTheOriginalBackup() throws IOException {
        startFrom(REPLACED);
        Path other = uploads.resolve("other.svg");
        Files.write(other, original);
        watermark.replace(other);
        watermark.replace(logo);
        assertThat(watermark.status().backupSha256()).isEqualTo(sha(original));
        assertThat(watermark.status().sha256()).isEqualTo(sha(SvgSafety.check(Files.readAllBytes(logo)).canonical()));
    }

    @Test
    void replaceFromHiddenShowsTheLogoAndKeepsTheBackup() throws IOException {
        startFrom(HIDDEN);
        watermark.replace(logo);
        watermark.replace(logo);
        assertThat(watermark.status().state()).isEqualTo(REPLACED);
        assertThat(watermark.status().backupSha256()).isEqualTo(sha(original));
    }

    @Test
    void replaceFromMissingServesTheLogoWithoutABackup() throws IOException {
        startFrom(MISSING);
        watermark.replace(logo);
        watermark.replace(logo);
        assertThat(watermark.status().state()).isEqualTo(PRESENT);
    }

    @Test
    void anUnsafeSvgIsRefusedWithTheFolderUnchanged() throws IOException {
        startFrom(PRESENT);
        Map<String, String> before = snapshot();
        Path evil = uploads.resolve("evil.svg");
        Files.writeString(evil, "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>fetch('/x')</script></svg>", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> watermark.replace(evil)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not safe to serve").hasMessageContaining("<script> is not allowed");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aFailureInTheMiddleOfAReplaceChangesNothing() throws IOException {
        startFrom(PRESENT);
        Map<String, String> before = snapshot();
        Watermark failing = new Watermark(dir, (from, to) -> {
            throw new IOException("No space left on device");
        });

        assertThatThrownBy(() -> failing.replace(logo)).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("No space left on device").hasMessageContaining("the folder is as it was");
        // The backup made for this replace and the temporary file are gone again.
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aFolderThatIsNotWritableChangesNothing() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root writes to read-only folders; the seam test covers this as root");
        startFrom(PRESENT);
        Map<String, String> before = snapshot();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThatThrownBy(() -> watermark.replace(logo)).isInstanceOf(OperationFailedException.class);
            assertThatThrownBy(() -> watermark.hide()).isInstanceOf(OperationFailedException.class);
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aMissingFolderIsBadInput() {
        Watermark nowhere = new Watermark(dir.resolve("no-such-folder"));
        assertThatThrownBy(nowhere::status).isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");
    }

    @Test
    void anInkscapeLogoIsServedWithoutItsEditorMetadataAndTheResultSaysWhatWasLeftOut() throws IOException {
        startFrom(PRESENT);
        Path inkscape = uploads.resolve("inkscape-logo.svg");
        Files.write(inkscape, SvgSafetyTest.resource("inkscape-logo.svg"));
        WatermarkResult r = watermark.replace(inkscape);

        assertThat(r.changed()).isTrue();
        assertThat(r.dropped()).anyMatch(d -> d.contains("sodipodi:namedview")).anyMatch(d -> d.contains("<metadata>"))
                .anyMatch(d -> d.contains("inkscape:only_selected")).anyMatch(d -> d.contains("data-name"));
        assertThat(r.message()).contains("Left out of the served file (inert)");
        String served = Files.readString(dir.resolve("watermark.svg"));
        assertThat(served).doesNotContain("inkscape").doesNotContain("sodipodi").doesNotContain("rdf:").doesNotContain("data-name")
                .contains("<symbol").contains("<use").contains("xlink:href=\"#mark\"").contains("<feGaussianBlur")
                .contains("Events ").contains("2026").contains("data:image/png;base64,").contains("marker-end=\"url(&quot;#arrow&quot;)\"");
        assertThat(SvgSafety.check(served.getBytes(StandardCharsets.UTF_8)).dropped()).as("the served file is clean").isEmpty();
    }

    @Test
    void aFifoIsRefusedAtOnceInsteadOfBlockingTheRead() throws Exception {
        Path fifo = uploads.resolve("logo.svg");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        long start = System.nanoTime();
        assertThatThrownBy(() -> watermark.replace(fifo)).isInstanceOf(InvalidInputException.class).hasMessageContaining("is not a regular file");
        assertThatThrownBy(() -> Watermark.check(Path.of("/dev/zero"))).isInstanceOf(InvalidInputException.class).hasMessageContaining("is not a regular file");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));
    }

    @Test
    void aReplaceIntoAFolderWithoutAWatermarkDoesNotClaimABackup() throws IOException {
        startFrom(MISSING);
        WatermarkResult r = watermark.replace(logo);
        assertThat(r.message()).contains("there was no watermark before, so there is no backup").doesNotContain("stays in");
        assertThat(watermark.status().state()).isEqualTo(PRESENT);
    }

    @Test
    void aWatermarkThatIsALinkIsRefusedAndNeverFollowed() throws IOException {
        // A private file elsewhere, and watermark.svg pointing at it: its content must never reach the served folder.
        Path secret = uploads.resolve("private.txt");
        Files.writeString(secret, "private key material");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(dir.resolve("watermark.svg"), secret);
        Map<String, String> before = linkSnapshot();
        for (Runnable action : new Runnable[] {watermark::status, watermark::hide, watermark::restore, () -> watermark.replace(logo)}) {
            assertThatThrownBy(action::run).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("watermark.svg in " + dir + " is not a regular file (a link)").hasMessageContaining("nothing was changed");
        }
        assertThat(linkSnapshot()).isEqualTo(before);
        assertThat(dir.resolve("watermark.svg_ba")).doesNotExist();

        Files.delete(dir.resolve("watermark.svg"));
        Files.createSymbolicLink(dir.resolve("watermark.svg_ba"), secret);
        assertThatThrownBy(watermark::restore).isInstanceOf(InvalidInputException.class).hasMessageContaining("watermark.svg_ba");
        assertThat(dir.resolve("watermark.svg")).doesNotExist();
    }

    /** The folder's entries, links as links (where they point), files by content. */
    private Map<String, String> linkSnapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                files.put(p.getFileName().toString(), Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p) : sha(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    @Test
    void theBackupIsNoMoreReadableThanTheOriginal() throws IOException {
        startFrom(PRESENT);
        Files.setPosixFilePermissions(dir.resolve("watermark.svg"), PosixFilePermissions.fromString("rw-r-----"));
        watermark.replace(logo);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("watermark.svg_ba")))).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("watermark.svg")))).isEqualTo("rw-r--r--");
    }

    @Test
    void aWatermarkLargerThanTheLimitIsHashedButNeverCopiedWhole() throws IOException {
        Files.write(dir.resolve("watermark.svg"), new byte[SvgSafety.MAX_BYTES + 10]);
        assertThat(watermark.status().state()).isEqualTo(PRESENT);
        Map<String, String> before = snapshot();
        assertThatThrownBy(() -> watermark.replace(logo)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has more than 1048576 bytes (1 MiB), the limit");
        assertThat(snapshot()).isEqualTo(before);
    }
}
