package events.jitsi.core.verify;

import events.jitsi.core.InvalidInputException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a verification's reports go (JUnit XML, HTML): checked before any AWS call, so that a path that cannot be written
 * costs nothing and says why, and written without ever following a link, so that a link left in the report's place
 * cannot make the report overwrite another file.
 */
public final class ReportFiles {
    private ReportFiles() {
    }

    /**
     * Makes {@code file} ready to be written: its folder created; refused when it is a link, a folder, or the file
     * {@code notThis} (the environments file being read), or when it leads out of {@code within} (a workspace) once links
     * on the way are followed. Nothing is written to the file itself.
     *
     * @param option how the caller names the path, for messages (--junit, html:)
     * @param notThis null, or a file the report must never replace
     * @param within null, or the folder the report must stay in
     */
    public static void prepare(Path file, String option, Path notThis, Path within) {
        Path absolute = file.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(absolute)) {
            throw new InvalidInputException(option + " " + file + " is a link; give the path of the report itself (a link there "
                    + "would be followed to whatever it points at). Nothing was checked.");
        }
        if (Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException(option + " " + file + " is a folder; give a file name in it, e.g. " + file.resolve("verify.xml") + ".");
        }
        try {
            if (notThis != null && Files.exists(absolute) && Files.exists(notThis) && Files.isSameFile(absolute, notThis)) {
                throw new InvalidInputException(option + " " + file + " is the environments file being read; write the report elsewhere.");
            }
            Path parent = absolute.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (within != null && parent != null && !parent.toRealPath().startsWith(within.toRealPath())) {
                throw new InvalidInputException(option + " " + file + " leads out of the workspace through a link; give a file inside it.");
            }
            if (parent != null && !Files.isWritable(parent)) {
                throw new InvalidInputException(option + " " + file + ": its folder " + parent + " cannot be written to.");
            }
        } catch (IOException e) {
            throw new InvalidInputException(option + " " + file + ": cannot create its folder (" + e.getMessage() + "); nothing was checked.");
        }
    }

    /** Writes {@code text} as UTF-8, replacing the file, never through a link (the write fails on one). */
    public static void write(Path file, String text) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
