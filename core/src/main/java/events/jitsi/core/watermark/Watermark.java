package events.jitsi.core.watermark;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OperationFailedException;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Hides, restores and replaces the meeting watermark in the EFS folder that the Jitsi web container serves as
 * /usr/share/jitsi-meet/images (the engine behind {@code jitsiWatermark} and {@code events-jitsi watermark}). The
 * original is kept as {@code watermark.svg_ba}, the name the operators' notes use. Every change is a rename inside the
 * folder, so there is never a moment with a half-written watermark, and a failure leaves the folder as it was.
 */
public final class Watermark {
    public static final String DEFAULT_DIR = "/mnt/efs/fs1/jitsi/jitsi-meet/images";
    public static final String FILE = "watermark.svg";

    /** Whether {@code dir} can name the images folder on a host: absolute, one line, no '..' segment. */
    public static boolean isHostFolder(String dir) {
        return dir != null && dir.startsWith("/") && !dir.contains("\n") && !dir.contains("\0")
                && !java.util.Arrays.asList(dir.split("/")).contains("..");
    }

    public static final String BACKUP = "watermark.svg_ba";
    public static final String CACHE_NOTE = "Browsers cache images/watermark.svg: participants may see the old logo "
            + "until their cache expires or they reload the page.";
    private static final Set<PosixFilePermission> SERVED_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

    private final Path dir;
    private final Swap swap;

    /** The last step of a replace; a seam so tests can make it fail the way a full or read-only EFS would. */
    interface Swap {
        void move(Path from, Path to) throws IOException;
    }

    public Watermark(Path dir) {
        this(dir, (from, to) -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING));
    }

    Watermark(Path dir, Swap swap) {
        this.dir = dir;
        this.swap = swap;
    }

    public WatermarkStatus status() {
        requireFolder();
        Path current = dir.resolve(FILE);
        Path backup = dir.resolve(BACKUP);
        // Never through a link: a link here could make a private file's content public, or be hashed for the watermark.
        for (Path file : new Path[] {current, backup}) {
            if (Files.isSymbolicLink(file) || (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))) {
                throw new InvalidInputException(file.getFileName() + " in " + dir + " is not a regular file ("
                        + (Files.isSymbolicLink(file) ? "a link" : "a folder, FIFO or device") + "); the watermark must be a file in the "
                        + "folder itself. Remove it by hand after checking what it is; nothing was changed.");
            }
        }
        boolean hasCurrent = Files.isRegularFile(current, LinkOption.NOFOLLOW_LINKS);
        boolean hasBackup = Files.isRegularFile(backup, LinkOption.NOFOLLOW_LINKS);
        WatermarkStatus.State state = hasCurrent ? (hasBackup ? WatermarkStatus.State.REPLACED : WatermarkStatus.State.PRESENT)
                : (hasBackup ? WatermarkStatus.State.HIDDEN : WatermarkStatus.State.MISSING);
        return new WatermarkStatus(state, hasCurrent ? sha256(current) : null, hasBackup ? sha256(backup) : null);
    }

    public WatermarkResult hide() {
        WatermarkStatus before = status();
        switch (before.state()) {
            case HIDDEN:
                return new WatermarkResult("hide", false, "The watermark is already hidden; the backup " + BACKUP + " is unchanged.", before);
            case MISSING:
                throw new InvalidInputException("There is no " + FILE + " and no " + BACKUP + " in " + dir
                        + ": nothing to hide. Is this the images folder of the web container?");
            case PRESENT:
                move(dir.resolve(FILE), dir.resolve(BACKUP));
                return done("hide", "Hid the watermark: " + FILE + " is now " + BACKUP + ".");
            case REPLACED:
            default:
                // The backup holds the original; the replacement goes, the first backup stays.
                delete(dir.resolve(FILE));
                return done("hide", "Hid the watermark: removed the replacement " + FILE + "; the original stays in " + BACKUP + ".");
        }
    }

    public WatermarkResult restore() {
        WatermarkStatus before = status();
        if (before.backupSha256() == null) {
            throw new InvalidInputException("There is no backup " + BACKUP + " in " + dir + " to restore"
                    + (before.state() == WatermarkStatus.State.PRESENT ? ": " + FILE + " is already the original." : "."));
        }
        move(dir.resolve(BACKUP), dir.resolve(FILE));
        return done("restore", "Restored the original watermark from " + BACKUP + ".");
    }

    /** The verdict on a file without installing anything: what {@code replace} would refuse, serve and drop. */
    public static SvgSafety.Verdict check(Path svg) {
        return SvgSafety.check(readCandidate(svg));
    }

    /**
     * Reads a candidate file: a regular file no larger than the limit. A FIFO or a device would block the read or never
     * end, so it is refused at once.
     */
    public static byte[] readCandidate(Path svg) {
        try {
            if (!Files.isRegularFile(svg)) {
                throw new InvalidInputException(svg + " is not a regular file" + (Files.exists(svg) ? " (a folder, FIFO or device)" : " (it does not exist)")
                        + "; give the SVG file.");
            }
            long size = Files.size(svg);
            if (size > SvgSafety.MAX_BYTES) {
                throw new InvalidInputException(svg + " has " + size + " bytes; the limit is " + SvgSafety.MAX_BYTES + " (1 MiB).");
            }
            return readCapped(svg, svg.toString());
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read " + svg + ": " + e.getMessage(), e);
        }
    }

    /** At most the size limit, whatever the file grows to meanwhile; never through a link when {@code options} say so. */
    private static byte[] readCapped(Path file, String name, java.nio.file.OpenOption... options) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file, options)) {
            byte[] content = in.readNBytes(SvgSafety.MAX_BYTES + 1);
            if (content.length > SvgSafety.MAX_BYTES) {
                throw new InvalidInputException(name + " has more than " + SvgSafety.MAX_BYTES + " bytes (1 MiB), the limit.");
            }
            return content;
        }
    }

    public WatermarkResult replace(Path svg) {
        byte[] uploaded = readCandidate(svg);
        SvgSafety.Verdict verdict = SvgSafety.check(uploaded);
        if (!verdict.accepted()) {
            throw new InvalidInputException(svg + " is not safe to serve as the watermark, nothing was changed:\n  "
                    + String.join("\n  ", verdict.problems()));
        }
        // What is served is what was checked, written by us, not the uploaded bytes.
        byte[] content = verdict.canonical();
        String uploadedSha256 = sha256(uploaded);
        WatermarkStatus before = status();
        if (sha256(content).equals(before.sha256())) {
            return new WatermarkResult("replace", false, "The watermark already is " + svg.getFileName() + "; nothing changed.", before,
                    uploadedSha256, verdict.dropped());
        }
        Path current = dir.resolve(FILE);
        Path backup = dir.resolve(BACKUP);
        boolean madeBackup = false;
        Path temporary = null;
        try {
            if (before.backupSha256() == null && before.sha256() != null) {
                // Copy, not move: the original keeps being served until the new file takes its place. The copy is no
                // more readable than the original was.
                Set<PosixFilePermission> mode = new java.util.HashSet<>(Files.getPosixFilePermissions(current, LinkOption.NOFOLLOW_LINKS));
                mode.retainAll(SERVED_PERMISSIONS);
                writeAtomically(readCapped(current, FILE + " in " + dir, LinkOption.NOFOLLOW_LINKS), backup, mode);
                madeBackup = true;
            }
            temporary = Files.createTempFile(dir, ".watermark-", ".svg.tmp");
            Files.write(temporary, content);
            Files.setPosixFilePermissions(temporary, SERVED_PERMISSIONS);
            swap.move(temporary, current);
            temporary = null;
        } catch (IOException | UnsupportedOperationException e) {
            if (madeBackup) {
                deleteQuietly(backup);
            }
            throw new OperationFailedException("Could not replace the watermark in " + dir + " (" + describe(e)
                    + "); the folder is as it was.", e);
        } finally {
            if (temporary != null) {
                deleteQuietly(temporary);
            }
        }
        String original = madeBackup ? "; the original is kept as " + BACKUP + "."
                : before.backupSha256() != null ? "; the original stays in " + BACKUP + "."
                : "; there was no watermark before, so there is no backup.";
        String droppedNote = verdict.dropped().isEmpty() ? "" : " Left out of the served file (inert): " + String.join(", ", verdict.dropped()) + ".";
        WatermarkResult done = done("replace", "Replaced the watermark with " + svg.getFileName() + original + droppedNote);
        return new WatermarkResult(done.action(), done.changed(), done.message(), done.status(), uploadedSha256, verdict.dropped());
    }

    private WatermarkResult done(String action, String message) {
        return new WatermarkResult(action, true, message + " " + CACHE_NOTE, status());
    }

    private void requireFolder() {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("Watermark folder " + dir + " does not exist or is not a folder: give the "
                    + "images folder on the EFS mount (default " + DEFAULT_DIR + ").");
        }
    }

    private void writeAtomically(byte[] content, Path target, Set<PosixFilePermission> mode) throws IOException {
        Path temporary = Files.createTempFile(dir, ".watermark-", ".tmp");
        try {
            Files.write(temporary, content);
            Files.setPosixFilePermissions(temporary, mode);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            temporary = null;
        } finally {
            if (temporary != null) {
                deleteQuietly(temporary);
            }
        }
    }

    private void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new OperationFailedException("The file system of " + dir + " cannot rename atomically; nothing was changed.", e);
        } catch (IOException e) {
            throw new OperationFailedException("Could not rename " + from.getFileName() + " to " + to.getFileName() + " in " + dir
                    + " (" + describe(e) + "); nothing was changed.", e);
        }
    }

    private void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new OperationFailedException("Could not remove " + file + " (" + describe(e) + "); nothing was changed.", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Best effort while already failing; the original error is the one to report.
        }
    }

    private static String describe(Exception e) {
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied: " + e.getMessage() : e.toString();
    }

    /** The file's digest, read as a stream (whatever its size) and never through a link. */
    private static String sha256(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new OperationFailedException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
