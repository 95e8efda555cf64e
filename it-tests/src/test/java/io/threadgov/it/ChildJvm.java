package io.threadgov.it;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a child JVM, optionally with the real agent jar, captures its output to files, and kills it
 * (with its children) on a timeout. Modelled on async-profiler's test harness: one child per test.
 *
 * <pre>
 * Result r = ChildJvm.app(MyApp.class).agent("cores=2").sysprop("threadgov.log", "info").run();
 * </pre>
 */
public final class ChildJvm {

    public static final Path AGENT_JAR = Path.of(System.getProperty("threadgov.agent.jar", "../agent/target/threadgov-agent.jar")).toAbsolutePath();
    public static final Path KERNELS_JAR = Path.of(System.getProperty("threadgov.kernels.jar", "../bundled-kernels/target/threadgov-kernels.jar")).toAbsolutePath();
    public static final Path WORK = Path.of(System.getProperty("threadgov.it.work", "target/it-work")).toAbsolutePath();
    public static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> sysprops = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> classpath = new ArrayList<>();
    private String agentArgs;
    private boolean withAgent;
    private String mainClass;
    private String jar;
    private final List<String> args = new ArrayList<>();
    private long timeoutSeconds = 120;
    private String name;

    private ChildJvm() {
    }

    /** A child that runs {@code main} of a test application compiled into this module's test classes. */
    public static ChildJvm app(Class<?> main) {
        ChildJvm c = new ChildJvm();
        c.mainClass = main.getName();
        c.classpath.add(testClasses());
        c.name = main.getSimpleName();
        return c;
    }

    /** A child that runs {@code java -jar JAR}. */
    public static ChildJvm jar(Path jarFile) {
        ChildJvm c = new ChildJvm();
        c.jar = jarFile.toString();
        c.name = jarFile.getFileName().toString();
        return c;
    }

    /** The directory holding this module's compiled test classes. */
    public static String testClasses() {
        try {
            return Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The jar on this test JVM's class path whose file name starts with {@code prefix}. */
    public static String jarOnTestClasspath(String prefix) {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(e).getFileName().toString().startsWith(prefix)) {
                return e;
            }
        }
        throw new IllegalStateException("no " + prefix + "* on the test class path");
    }

    /** Adds {@code -javaagent:agent.jar[=args]}. */
    public ChildJvm agent(String args) {
        this.withAgent = true;
        this.agentArgs = args;
        return this;
    }

    public ChildJvm agent() {
        return agent(null);
    }

    public ChildJvm sysprop(String k, String v) {
        sysprops.put(k, v);
        return this;
    }

    public ChildJvm jvmArg(String a) {
        jvmArgs.add(a);
        return this;
    }

    public ChildJvm env(String k, String v) {
        env.put(k, v);
        return this;
    }

    public ChildJvm classpath(String entry) {
        classpath.add(entry);
        return this;
    }

    public ChildJvm args(String... a) {
        args.addAll(List.of(a));
        return this;
    }

    public ChildJvm java(String javaExecutable) {
        this.java = javaExecutable;
        return this;
    }

    public ChildJvm timeout(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    public ChildJvm name(String n) {
        this.name = n;
        return this;
    }

    /** The full command line. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmArgs);
        if (withAgent) {
            cmd.add("-javaagent:" + AGENT_JAR + (agentArgs == null ? "" : "=" + agentArgs));
        }
        sysprops.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        if (jar != null) {
            cmd.add("-jar");
            cmd.add(jar);
        } else {
            cmd.add("-cp");
            cmd.add(String.join(File.pathSeparator, classpath));
            cmd.add(mainClass);
        }
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the child without waiting (for tests that attach to it). Output goes to files as for run(). */
    public Running start() throws IOException {
        Path dir = Files.createDirectories(WORK.resolve(name + "-" + System.nanoTime()));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Files.writeString(dir.resolve("command.txt"), String.join(" ", command()));
        ProcessBuilder pb = new ProcessBuilder(command()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        return new Running(pb.start(), dir, out, err, timeoutSeconds);
    }

    /** Runs the child to its end (or kills it at the timeout) and returns what it did. */
    public Result run() throws IOException, InterruptedException {
        return start().await();
    }

    /** A started child. */
    public static final class Running {
        public final Process process;
        public final Path dir;
        private final Path out;
        private final Path err;
        private final long timeoutSeconds;

        Running(Process p, Path dir, Path out, Path err, long timeoutSeconds) {
            this.process = p;
            this.dir = dir;
            this.out = out;
            this.err = err;
            this.timeoutSeconds = timeoutSeconds;
        }

        public long pid() {
            return process.pid();
        }

        public String stdoutSoFar() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        public Result await() throws IOException, InterruptedException {
            boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                kill();
            }
            return new Result(done ? process.exitValue() : -1, !done, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), dir);
        }

        public void kill() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** What a child did. */
    public static final class Result {
        public final int exit;
        public final boolean timedOut;
        public final String stdout;
        public final String stderr;
        public final Path dir;

        Result(int exit, boolean timedOut, String stdout, String stderr, Path dir) {
            this.exit = exit;
            this.timedOut = timedOut;
            this.stdout = stdout;
            this.stderr = stderr;
            this.dir = dir;
        }

        /** The value printed on a line {@code key=value}, or null. */
        public String value(String key) {
            for (String line : stdout.split("\n")) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1).trim();
                }
            }
            return null;
        }

        /** Lines of stderr that come from the agent. */
        public List<String> agentLines() {
            List<String> l = new ArrayList<>();
            for (String line : stderr.split("\n")) {
                if (line.startsWith("threadgov:")) {
                    l.add(line);
                }
            }
            return l;
        }

        @Override
        public String toString() {
            return "exit=" + exit + (timedOut ? " (timed out)" : "") + " dir=" + dir + "\n--- stdout\n" + tail(stdout)
                    + "\n--- stderr\n" + tail(stderr);
        }

        private static String tail(String s) {
            return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
        }
    }
}
