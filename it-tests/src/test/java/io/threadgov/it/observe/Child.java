package io.threadgov.it.observe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for the observability tests that must talk to it while it runs (attach, JMX): the real agent
 * jar, this module's test classes as the application, stdout read line by line, stderr collected, stdin to
 * drive it. {@link io.threadgov.it.ChildJvm} runs children to their end; this one keeps them alive.
 */
final class Child implements AutoCloseable {

    static final Path AGENT_JAR = io.threadgov.it.ChildJvm.AGENT_JAR;
    static final Path WORK = io.threadgov.it.ChildJvm.WORK;

    final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> out = Collections.synchronizedList(new ArrayList<>());
    private final StringBuffer err = new StringBuffer();
    private final Writer stdin;

    private Child(Process p) {
        this.process = p;
        this.stdin = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        Thread o = new Thread(() -> pump(new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8)), true), "child-out");
        Thread e = new Thread(() -> pump(new BufferedReader(new InputStreamReader(p.getErrorStream(),
                StandardCharsets.UTF_8)), false), "child-err");
        o.setDaemon(true);
        e.setDaemon(true);
        o.start();
        e.start();
    }

    private void pump(BufferedReader r, boolean isOut) {
        try {
            String l;
            while ((l = r.readLine()) != null) {
                if (isOut) {
                    out.add(l);
                    lines.add(l);
                } else {
                    err.append(l).append('\n');
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    /** Starts {@code java JVM_ARGS -cp TEST_CLASSES MAIN ARGS}. */
    static Child start(List<String> jvmArgs, Class<?> main, String... args) throws IOException {
        Files.createDirectories(WORK);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(io.threadgov.it.ChildJvm.testClasses());
        cmd.add(main.getName());
        Collections.addAll(cmd, args);
        return new Child(new ProcessBuilder(cmd).directory(WORK.toFile()).start());
    }

    /** Runs the CLI {@code java -jar threadgov-agent.jar ARGS} to its end. */
    static Result cli(String... args) throws Exception {
        return cli(List.of(), args);
    }

    /** Runs {@code java JVM_ARGS -jar threadgov-agent.jar ARGS} to its end. */
    static Result cli(List<String> jvmArgs, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(AGENT_JAR.toString());
        Collections.addAll(cmd, args);
        Files.createDirectories(WORK);
        Path o = Files.createTempFile(WORK, "cli-", ".out");
        Path e = Files.createTempFile(WORK, "cli-", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(o.toFile()).redirectError(e.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("CLI did not end: " + cmd);
        }
        Result r = new Result(p.exitValue(), Files.readString(o), Files.readString(e));
        Files.delete(o);
        Files.delete(e);
        return r;
    }

    static final class Result {
        final int rc;
        final String out;
        final String err;

        Result(int rc, String out, String err) {
            this.rc = rc;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "rc=" + rc + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    long pid() {
        return process.pid();
    }

    /** The next stdout line that starts with {@code prefix} (earlier lines are skipped). */
    String await(String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String l = lines.poll(500, TimeUnit.MILLISECONDS);
            if (l != null && l.startsWith(prefix)) {
                return l;
            }
            if (l == null && !process.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        throw new AssertionError("no line '" + prefix + "' from child; stdout " + out + "\nstderr " + err);
    }

    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    String stderr() {
        return err.toString();
    }

    /** Closes stdin and waits for the end; returns the exit status. */
    int finish() throws Exception {
        stdin.close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not end; stderr " + err);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
