package io.threadgov.it;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one harness for child processes of the it-tests: starts a child JVM (a test application of this module,
 * or {@code java -jar JAR}), optionally with the real agent jar, or another program (a browser); writes its
 * command, stdout and stderr to files in a directory of its own under {@link #WORK} (also its working
 * directory); kills it with all its descendants at the timeout; reads the agent's report as JSON. Modelled on
 * async-profiler's test harness: one child per run.
 *
 * <pre>
 * Result r = ChildJvm.app(MyApp.class).agent("cores=2").report().run();
 * assertEquals(2L, r.report().get("budget"));
 *
 * try (Running c = ChildJvm.app(MyApp.class).agent().start()) {   // a child that keeps running
 *     c.awaitLine("ready");                                      // its stdout, line by line
 *     c.send("go");                                              // its stdin
 *     assertEquals(0, c.await().exit);                           // closes its stdin, waits for the end
 * }
 * </pre>
 *
 * <p>JSON (reports, {@code info --json}, verify's results) is read with Jackson into maps, lists, strings,
 * Booleans, Longs (every integer) and Doubles: {@link #json(String)}.
 */
public final class ChildJvm {

    public static final Path AGENT_JAR = Path.of(System.getProperty("threadgov.agent.jar", "../agent/target/threadgov-agent.jar")).toAbsolutePath();
    public static final Path KERNELS_JAR = Path.of(System.getProperty("threadgov.kernels.jar", "../bundled-kernels/target/threadgov-kernels.jar")).toAbsolutePath();
    public static final Path WORK = Path.of(System.getProperty("threadgov.it.work", "target/it-work")).toAbsolutePath();
    /** Where CI machines have Temurin 25; {@code -Dthreadgov.java25=PATH} (a JDK or its java) names another. */
    public static final String JAVA_25_DEFAULT = "/usr/lib/jvm/temurin-25-jdk-amd64";

    /** Strict: text after the value, or a key twice in an object, is an error. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> sysprops = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> classpath = new ArrayList<>();
    private String agentArgs;
    private boolean withAgent;
    private boolean withReport;
    private String mainClass;
    private String jar;
    private String program;
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

    /**
     * A child that runs {@code main} of {@code mainClass}, found on the class path given with {@link #classpath}
     * only (not this module's test classes): an application built elsewhere, as it-tests/realapps' are.
     */
    public static ChildJvm main(String mainClass) {
        ChildJvm c = new ChildJvm();
        c.mainClass = mainClass;
        c.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        return c;
    }

    /** A child that runs {@code java -jar JAR}. */
    public static ChildJvm jar(Path jarFile) {
        ChildJvm c = new ChildJvm();
        c.jar = jarFile.toString();
        c.name = jarFile.getFileName().toString();
        return c;
    }

    /**
     * A child that is no JVM: {@code executable ARGS} (looked up on the PATH unless a path), with output files,
     * timeout and tree kill as a JVM's; only args(), env(), timeout() and name() apply.
     */
    public static ChildJvm program(String executable) {
        ChildJvm c = new ChildJvm();
        c.program = executable;
        c.name = Path.of(executable).getFileName().toString();
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
        for (String e : testClasspath()) {
            if (Path.of(e).getFileName().toString().startsWith(prefix)) {
                return e;
            }
        }
        throw new IllegalStateException("no " + prefix + "* on the test class path");
    }

    private static List<String> testClasspath() {
        return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    }

    /** A new file name under {@link #WORK} (created): {@code prefix-NANOTIME suffix}. */
    public static Path workFile(String prefix, String suffix) throws IOException {
        return Files.createDirectories(WORK).resolve(prefix + "-" + System.nanoTime() + suffix);
    }

    /** A new, empty directory under {@link #WORK}: {@code prefix-NANOTIME}. */
    public static Path workDir(String prefix) throws IOException {
        return Files.createDirectories(WORK.resolve(prefix + "-" + System.nanoTime()));
    }

    // ---------------------------------------------------------------- what a test needs from the machine

    /**
     * Something a test needs is not on this machine: a failure where the environment variable {@code CI} is set
     * (CI machines must have it), else the test is skipped. {@code why} says what is missing and where it was
     * expected. Never returns.
     */
    public static AssertionError missing(String why) {
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            Assertions.fail(why + "; CI=" + ci + " is set, so this is a failure, not a skip");
        }
        String skip = why + "; skipped because the environment variable CI is not set";
        System.err.println("SKIPPED: " + skip);
        Assumptions.abort(skip);
        return new AssertionError("unreachable");
    }

    /**
     * The {@code java} of Temurin JDK 25: {@code -Dthreadgov.java25=PATH} (a JDK directory or its java), else
     * {@value #JAVA_25_DEFAULT}. Missing: the test fails under CI, else it is skipped ({@link #missing}).
     */
    public static String java25() {
        String configured = System.getProperty("threadgov.java25");
        String where = configured == null || configured.isBlank() ? JAVA_25_DEFAULT : configured;
        Path p = Path.of(where);
        Path java = Files.isDirectory(p) ? p.resolve("bin").resolve("java") : p;
        if (!Files.isRegularFile(java) || !Files.isExecutable(java)) {
            throw missing("no Temurin JDK 25: " + java + " is not an executable"
                    + (configured == null || configured.isBlank()
                    ? " (the default; -Dthreadgov.java25=PATH names another JDK 25)" : " (from -Dthreadgov.java25)"));
        }
        return java.toString();
    }

    // ---------------------------------------------------------------- building the command

    /** Adds {@code -javaagent:agent.jar[=args]}. */
    public ChildJvm agent(String args) {
        this.withAgent = true;
        this.agentArgs = args;
        return this;
    }

    public ChildJvm agent() {
        return agent(null);
    }

    /**
     * The agent writes its report into this child's directory ({@code -Dthreadgov.report=DIR/report.json}), read
     * by {@link Result#report()}.
     */
    public ChildJvm report() {
        this.withReport = true;
        return this;
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

    /** Adds the entries of this test JVM's class path that {@code keep} accepts, in their order. */
    public ChildJvm classpathOf(Predicate<String> keep) {
        testClasspath().stream().filter(keep).forEach(classpath::add);
        return this;
    }

    /** JavaCPP and its OpenBLAS (the org.bytedeco jars, natives included): an application's own BLAS. */
    public ChildJvm javacpp() {
        return classpathOf(e -> e.contains("bytedeco"));
    }

    /** netlib-java's BLAS (dev.ludovic.netlib, with its f2j fallback), which loads Debian's OpenBLAS. */
    public ChildJvm netlib() {
        return classpathOf(e -> e.contains("netlib") || e.contains("f2j"));
    }

    /** The application's own JNA (jna-*.jar on the test class path; the agent's is shaded into its jar). */
    public ChildJvm jna() {
        return classpathOf(e -> Path.of(e).getFileName().toString().startsWith("jna-"));
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

    /** The full command line; {@code report}: the report file when {@link #report()} was asked for. */
    private List<String> command(Path report) {
        List<String> cmd = new ArrayList<>();
        if (program != null) {
            if (withAgent || withReport || !jvmArgs.isEmpty() || !sysprops.isEmpty() || !classpath.isEmpty()) {
                throw new IllegalStateException(program + " is no JVM: no agent, report, JVM options or class path");
            }
            cmd.add(program);
            cmd.addAll(args);
            return cmd;
        }
        cmd.add(java);
        cmd.addAll(jvmArgs);
        if (withAgent) {
            cmd.add("-javaagent:" + AGENT_JAR + (agentArgs == null ? "" : "=" + agentArgs));
        }
        sysprops.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        if (report != null) {
            if (!withAgent) {
                throw new IllegalStateException("report() needs agent()");
            }
            cmd.add("-Dthreadgov.report=" + report);
        }
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

    // ---------------------------------------------------------------- running

    /**
     * Starts the child without waiting (for tests that talk to it while it runs: read its stdout line by line,
     * write to its stdin, attach to its pid). Output goes to files as for run(); close() kills it if still alive.
     */
    public Running start() throws IOException {
        if (withAgent) {
            Assertions.assertTrue(Files.isRegularFile(AGENT_JAR), () -> AGENT_JAR + " missing (run mvn package)");
        }
        if (jar != null) {
            Assertions.assertTrue(Files.isRegularFile(Path.of(jar)), () -> jar + " missing (run mvn package)");
        }
        Path dir = Files.createDirectories(WORK.resolve(name + "-" + System.nanoTime()));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Path report = withReport ? dir.resolve("report.json") : null;
        List<String> cmd = command(report);
        Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        return new Running(pb.start(), cmd, dir, out, err, report, timeoutSeconds);
    }

    /** Runs the child to its end (or kills it at the timeout) and returns what it did. */
    public Result run() throws IOException, InterruptedException {
        try (Running r = start()) {
            return r.await();
        }
    }

    /** A started child. */
    public static final class Running implements AutoCloseable {
        public final Process process;
        public final Path dir;
        private final List<String> command;
        private final Path out;
        private final Path err;
        private final Path report;
        private final long timeoutSeconds;
        private final Writer stdin;
        /** Lines of stdout already looked at by awaitLine. */
        private int linesSeen;

        Running(Process p, List<String> command, Path dir, Path out, Path err, Path report, long timeoutSeconds) {
            this.process = p;
            this.command = List.copyOf(command);
            this.dir = dir;
            this.out = out;
            this.err = err;
            this.report = report;
            this.timeoutSeconds = timeoutSeconds;
            this.stdin = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        }

        public long pid() {
            return process.pid();
        }

        public String stdoutSoFar() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        public String stderrSoFar() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        /**
         * The next line of stdout that starts with {@code prefix}, after those returned before (lines in between
         * are skipped); fails when the child ends without it or the child's timeout passes.
         */
        public String awaitLine(String prefix) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (true) {
                boolean ended = !process.isAlive(); // before reading: what it printed before its end is in the file
                String text = stdoutSoFar();
                List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
                lines.remove(lines.size() - 1); // after the last newline: empty, or a line still being written
                if (ended && !text.isEmpty() && !text.endsWith("\n")) {
                    lines.add(text.substring(text.lastIndexOf('\n') + 1));
                }
                while (linesSeen < lines.size()) {
                    String line = lines.get(linesSeen++);
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
                if (ended) {
                    throw new AssertionError("the child ended (exit " + process.exitValue() + ") without a line '"
                            + prefix + "'; " + result(process.exitValue(), false));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no line '" + prefix + "' from the child in " + timeoutSeconds + " s; "
                            + result(-1, false));
                }
                Thread.sleep(20);
            }
        }

        /** Writes {@code line} and a newline to the child's stdin. */
        public void send(String line) throws IOException {
            stdin.write(line + "\n");
            stdin.flush();
        }

        /**
         * Closes the child's stdin (the end of the input for an application that reads it), waits for its end
         * (at its timeout: kills it and its descendants) and returns what it did.
         */
        public Result await() throws IOException, InterruptedException {
            try {
                stdin.close();
            } catch (IOException ended) {
                // the child has closed its end already
            }
            boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                kill();
            }
            return result(done ? process.exitValue() : -1, !done);
        }

        private Result result(int exit, boolean timedOut) throws IOException {
            return new Result(exit, timedOut, stdoutSoFar(), stderrSoFar(), dir, report, process.pid(), command);
        }

        /** Kills the child and everything it started, its descendants first. */
        public void kill() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        /** Kills the child (and its descendants) if it still runs. */
        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                kill();
            }
        }
    }

    /** What a child did. */
    public static final class Result {
        public final int exit;
        public final boolean timedOut;
        public final String stdout;
        public final String stderr;
        public final Path dir;
        public final long pid;
        public final List<String> command;
        private final Path report;

        Result(int exit, boolean timedOut, String stdout, String stderr, Path dir, Path report, long pid,
               List<String> command) {
            this.exit = exit;
            this.timedOut = timedOut;
            this.stdout = stdout;
            this.stderr = stderr;
            this.dir = dir;
            this.report = report;
            this.pid = pid;
            this.command = command;
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

        /** Every {@code key=value} line of stdout, in order (a key printed twice: its last value). */
        public Map<String, String> values() {
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : stdout.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return m;
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

        /** stdout, then stderr: all the child printed. */
        public String output() {
            return stdout + "\n" + stderr;
        }

        /** The file the agent wrote its report to ({@link ChildJvm#report()}). */
        public Path reportFile() {
            if (report == null) {
                throw new IllegalStateException("the child was started without report()");
            }
            return report;
        }

        /** The agent's report ({@link ChildJvm#report()}), parsed; fails when the agent wrote none. */
        public Map<String, Object> report() throws IOException {
            Path file = reportFile();
            Assertions.assertTrue(Files.isRegularFile(file), () -> "the agent wrote no report " + file + ": " + this);
            return json(file);
        }

        @Override
        public String toString() {
            return "exit=" + exit + (timedOut ? " (timed out)" : "") + " dir=" + dir + "\n--- command\n"
                    + String.join(" ", command) + "\n--- stdout\n" + tail(stdout) + "\n--- stderr\n" + tail(stderr);
        }

        private static String tail(String s) {
            return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
        }
    }

    // ---------------------------------------------------------------- JSON

    /** A JSON object: objects are maps (in their order), arrays lists, integers Long, other numbers Double. */
    public static Map<String, Object> json(String text) {
        try {
            return JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
        }
    }

    /** The JSON object in {@code file}. */
    public static Map<String, Object> json(Path file) throws IOException {
        try {
            return json(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The object under {@code key}; fails when there is none. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> json, String key) {
        Object v = json.get(key);
        Assertions.assertTrue(v instanceof Map, () -> "no object \"" + key + "\" in " + json);
        return (Map<String, Object>) v;
    }

    /** The list of objects under {@code key} (a report's "pools", "native"); fails when there is none. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Map<String, Object> json, String key) {
        Object v = json.get(key);
        Assertions.assertTrue(v instanceof List, () -> "no list \"" + key + "\" in " + json);
        return (List<Map<String, Object>>) v;
    }
}
