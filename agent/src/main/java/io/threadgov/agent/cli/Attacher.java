package io.threadgov.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The CLI side of {@code info PID} and {@code attach PID}, through the JDK attach API (module jdk.attach).
 *
 * <p>No JMX connector is opened: {@code info PID} loads the agent jar once more with
 * {@code command=report,out=FILE}; the agent already running there sees the command
 * ({@link AgentCommands#handle}) and writes its report to FILE in a directory only this user can read, and
 * installs nothing. Whether a JVM has the agent is read from its system property
 * {@value #LOADED_PROPERTY}, which the agent sets when it starts.
 */
final class Attacher {

    static final String LOADED_PROPERTY = "threadgov.agent.loaded";

    private Attacher() {
    }

    /** {@code info PID}: the target's report, text or JSON. */
    static String report(long pid, boolean json) {
        VirtualMachine vm = open(pid);
        try {
            if (loaded(vm) == null) {
                throw new Cli.CliException("JVM " + pid + " has no threadgov agent: start it with -javaagent:"
                        + agentJar() + " or load it with 'attach " + pid + "'");
            }
            return askReport(vm, pid, json);
        } finally {
            detach(vm);
        }
    }

    /** {@code attach PID args}: loads the agent, then returns the target's report (with pre-existing pools). */
    static String attach(long pid, String agentArgs) {
        if (agentArgs.contains("command=")) {
            throw new Cli.UsageException("'command' is not a configuration key");
        }
        VirtualMachine vm = open(pid);
        try {
            String already = loaded(vm);
            if (already != null) {
                throw new Cli.CliException("JVM " + pid + " already has the threadgov agent (" + LOADED_PROPERTY + "="
                        + already + "); see its report with 'info " + pid + "', change its budget or mode through"
                        + " the MXBean io.threadgov:type=Governor");
            }
            String jar = agentJar();
            try {
                vm.loadAgent(jar, agentArgs);
            } catch (AgentInitializationException e) {
                throw new Cli.CliException("the agent failed to start in JVM " + pid + " (agentmain returned "
                        + e.returnValue() + "); see that JVM's stderr", e);
            } catch (AgentLoadException | IOException e) {
                throw new Cli.CliException("could not load " + jar + " into JVM " + pid + ": " + e.getMessage(), e);
            }
            String state = loaded(vm);
            StringBuilder sb = new StringBuilder();
            sb.append("threadgov agent loaded into JVM ").append(pid)
                    .append(agentArgs.isEmpty() ? "" : " with " + agentArgs).append('\n');
            if (state == null) {
                sb.append("the agent did not report itself started (" + LOADED_PROPERTY + " is unset);"
                        + " see that JVM's stderr\n");
                return sb.toString();
            }
            sb.append(askReport(vm, pid, false));
            return sb.toString();
        } finally {
            detach(vm);
        }
    }

    private static String askReport(VirtualMachine vm, long pid, boolean json) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("threadgov-info-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path out = dir.resolve("report." + (json ? "json" : "txt"));
            vm.loadAgent(agentJar(), "command=report,format=" + (json ? "json" : "text") + ",pid=" + pid + ",out=" + out);
            if (!Files.isRegularFile(out)) {
                throw new Cli.CliException("JVM " + pid + " wrote no report; see that JVM's stderr");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text : text + "\n";
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            throw new Cli.CliException("could not get the report of JVM " + pid + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Attaches, turning each way it can fail into a message that says what to do. */
    static VirtualMachine open(long pid) {
        Optional<ProcessHandle> ph = ProcessHandle.of(pid);
        if (ph.isEmpty() || !ph.get().isAlive()) {
            throw new Cli.CliException("no process with PID " + pid);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new Cli.CliException("PID " + pid + " is this command itself");
        }
        String me = System.getProperty("user.name");
        Optional<String> owner = ph.get().info().user();
        if (owner.isPresent() && !owner.get().equals(me) && !"root".equals(me)) {
            throw new Cli.CliException("process " + pid + " belongs to user " + owner.get() + ", not " + me
                    + ": the attach API only reaches your own JVMs (run this as " + owner.get() + ")");
        }
        try {
            return VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new Cli.CliException("process " + pid + " is not a JVM that accepts attach (not Java, a JVM"
                    + " started with -XX:+DisableAttachMechanism, or in another container): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new Cli.CliException("could not attach to JVM " + pid + ": " + e.getMessage(), e);
        } catch (LinkageError e) {
            throw new Cli.CliException("the attach API (module jdk.attach) is missing: run this command with a JDK", e);
        }
    }

    /** The target's {@value #LOADED_PROPERTY}, or null when the agent is absent. */
    private static String loaded(VirtualMachine vm) {
        try {
            Properties p = vm.getSystemProperties();
            return p.getProperty(LOADED_PROPERTY);
        } catch (IOException e) {
            throw new Cli.CliException("could not read the system properties of JVM " + vm.id() + ": " + e.getMessage(), e);
        }
    }

    /** This jar: the agent jar the CLI runs from (or -Dthreadgov.agent.jar when run from classes). */
    static String agentJar() {
        String prop = System.getProperty("threadgov.agent.jar");
        if (prop != null) {
            return Path.of(prop).toAbsolutePath().toString();
        }
        try {
            Path p = Path.of(Attacher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().toString();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        throw new Cli.CliException("cannot tell where threadgov-agent.jar is: run 'java -jar threadgov-agent.jar'"
                + " or set -Dthreadgov.agent.jar");
    }

    private static void detach(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException e) {
            // nothing to do
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // leave it
                }
            });
        } catch (IOException e) {
            // leave it
        }
    }
}
