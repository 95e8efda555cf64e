package io.threadgov.agent;

import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes the JSON report at exit ({@code threadgov.report}). Never writes through a symbolic link: the
 * report goes to a new temporary file beside the target and is renamed over it, and a target that is a
 * link (planted after start) is refused.
 */
public final class ReportWriter {

    private ReportWriter() {
    }

    static void register(Governor governor, Faults faults) {
        if (governor.config().report() == null) {
            return;
        }
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    faults.check("report");
                    write(governor.config().report(), governor.reportJson());
                } catch (Throwable t) {
                    Log.failure("report", t);
                }
            }, "threadgov-report"));
        } catch (Throwable t) {
            Log.failure("report", t);
        }
    }

    /** Writes {@code json} to {@code target} atomically, refusing symbolic links. */
    public static void write(Path target, String json) throws IOException {
        if (Files.isSymbolicLink(target)) {
            throw new IOException(target + " is a symbolic link; the report is not written through links");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(target + " exists and is not a regular file");
        }
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.write(tmp, (json + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
