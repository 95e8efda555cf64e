package io.threadgov.it.realapps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The real applications of it-tests/realapps (one Maven project per ML stack, each with its own dependency
 * graph, built by this module's build before the tests): child JVMs running them, and what their reports say.
 */
final class RealApps {

    /** it-tests/realapps ({@code -Dthreadgov.realapps.dir}, set by the pom). */
    static final Path DIR = Path.of(System.getProperty("threadgov.realapps.dir", "realapps")).toAbsolutePath();

    private RealApps() {
    }

    /**
     * {@code mainClass} of the realapps project {@code stack}, on its own class path (its target/classes and
     * target/classpath.txt), with the JVM options of its jvm-options.txt where it has one. The JVM's own service threads are fixed in number ({@code -XX:+UseSerialGC}: no GC
     * threads; no dynamic compiler threads), in every run alike, so that the peak thread counts compare the
     * threads of the application, its libraries and the agent, not G1's refinement threads that start on demand.
     */
    static ChildJvm app(String stack, String mainClass) throws IOException {
        Path project = DIR.resolve(stack);
        ChildJvm c = ChildJvm.main(mainClass).classpath(classpath(stack));
        Path options = project.resolve("jvm-options.txt"); // what the stack's launcher adds (spark-submit's list)
        if (Files.isRegularFile(options)) {
            for (String o : Files.readAllLines(options)) {
                if (!o.isBlank()) {
                    c.jvmArg(o.trim());
                }
            }
        }
        return c.name(stack).jvmArg("-XX:+UseSerialGC").jvmArg("-XX:-UseDynamicNumberOfCompilerThreads")
                .sysprop("app.peakNames", "true"); // the threads at the peak, by name, in failure messages
    }

    /** The class path of the realapps project {@code stack}: its target/classes, then target/classpath.txt's jars. */
    static String classpath(String stack) throws IOException {
        Path project = DIR.resolve(stack);
        Path cp = project.resolve("target/classpath.txt");
        assertTrue(Files.isRegularFile(cp), () -> cp + " missing: the realapps build (it-tests' pom, phase "
                + "process-test-classes: mvn package in " + DIR + ") did not run");
        return project.resolve("target/classes") + File.pathSeparator + Files.readString(cp).trim();
    }

    /** The run ended normally and printed every key. */
    static void ok(ChildJvm.Result r, String... keys) {
        assertEquals(0, r.exit, r::toString);
        for (String k : keys) {
            assertTrue(r.value(k) != null, () -> "no " + k + "= line: " + r);
        }
    }

    /** The report's native records whose {@code key} is {@code value}. */
    static List<Map<String, Object>> natives(Map<String, Object> report, String key, Object value) {
        return ChildJvm.objects(report, "native").stream().filter(m -> value.equals(m.get(key)))
                .collect(Collectors.toList());
    }

    /** The comma-separated doubles printed as {@code key}. */
    static double[] doubles(ChildJvm.Result r, String key) {
        String v = r.value(key);
        assertTrue(v != null, () -> "no " + key + "= line: " + r);
        List<Double> l = new ArrayList<>();
        for (String s : v.split(",")) {
            l.add(Double.parseDouble(s));
        }
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static int peak(ChildJvm.Result r) {
        return Integer.parseInt(r.value("peak_threads"));
    }
}
