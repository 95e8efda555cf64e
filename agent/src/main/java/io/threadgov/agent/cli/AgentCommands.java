package io.threadgov.agent.cli;

import io.threadgov.governor.Governor;
import io.threadgov.governor.Json;
import io.threadgov.governor.Log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Commands the CLI sends to a running JVM through the attach API: {@code agentmain} calls
 * {@link #handle(String)} first and installs the agent only when it returns false.
 *
 * <p>{@code command=report,out=FILE[,format=json|text][,pid=PID]} writes the governor's report (plus the pools that ran
 * before the agent came) to FILE. The file is created new ({@code O_EXCL}: an existing file or a symbolic
 * link at that path makes the write fail rather than follow it), readable by its owner only; the directory
 * must be an absolute, real directory (the CLI makes a private one). Arguments without {@code command} are
 * an attach: handled here (refused with a warning) only when a governor is installed already.
 */
public final class AgentCommands {

    private AgentCommands() {
    }

    /** Returns true when {@code agentArgs} was a command (done) or must not install the agent again. */
    public static boolean handle(String agentArgs) {
        try {
            Map<String, String> args = parse(agentArgs);
            String command = args.get("command");
            if (command == null) {
                if (Governor.current() != null) {
                    Log.warn("the agent is already installed in this JVM; attach arguments '" + agentArgs
                            + "' ignored (change the budget or mode through the MXBean io.threadgov:type=Governor)");
                    return true;
                }
                return false;
            }
            if (!command.equals("report")) {
                Log.warn("unknown agent command '" + command + "' (allowed: report)");
                return true;
            }
            String out = args.get("out");
            if (out == null) {
                Log.warn("agent command report needs out=FILE");
                return true;
            }
            String text = render(args.get("format"), args.getOrDefault("pid", "?"));
            write(Path.of(out), text);
            return true;
        } catch (Throwable t) {
            Log.failure("agent command", t);
            return true;
        }
    }

    static String render(String format, String pid) {
        Governor g = Governor.current();
        Map<String, Object> report;
        if (g == null) {
            report = new LinkedHashMap<>();
            report.put("error", "the threadgov agent is loaded but not governing (mode off or start failed)");
        } else {
            report = g.report();
        }
        report.put("preexisting", PreexistingPools.scan());
        if ("text".equals(format) && g != null) {
            // the CLI passes the pid: ProcessHandle.current() would start the JDK's process reaper pool here
            return InfoText.report(report, pid);
        }
        return Json.write(report);
    }

    static Map<String, String> parse(String agentArgs) {
        Map<String, String> m = new LinkedHashMap<>();
        if (agentArgs == null) {
            return m;
        }
        for (String part : agentArgs.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return m;
    }

    /** Writes {@code text} to a new file at {@code p}; refuses relative paths, symlinked parents, existing files. */
    static void write(Path p, String text) throws IOException {
        if (!p.isAbsolute()) {
            throw new IOException("out must be an absolute path: " + p);
        }
        Path dir = p.getParent();
        if (dir == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("out's directory is not a real directory: " + dir);
        }
        Set<OpenOption> opts = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try (SeekableByteChannel ch = Files.newByteChannel(p, opts,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: create new without permissions
            try (OutputStream o = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                o.write(text.getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
