package io.threadgov.it.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two OpenMP runtimes in one process (issue 23, item 2): the system's GNU libgomp and LLVM's libomp (Debian's
 * libomp5, installed by .ci/setup), both real, loaded by {@link OpenMpRuntimesApp}. The agent says so in one
 * stderr line naming both files, and each OpenMP record of the report names the other files in
 * {@code other_openmp}; it governs both (a pool worker's count is its share in each). One runtime alone: no
 * line, no field. A libtorch copy of libgomp beside the system's is realapps.DjlTest's case.
 */
class OpenMpRuntimesTest {

    static final Path LIBGOMP = Path.of("/usr/lib/x86_64-linux-gnu/libgomp.so.1");
    static final Path LIBOMP = Path.of("/usr/lib/x86_64-linux-gnu/libomp.so.5");

    static String need(Path lib, String pkg) {
        if (!Files.exists(lib)) {
            throw ChildJvm.missing(lib + " is missing (Debian package " + pkg + ", installed by .ci/setup)");
        }
        return lib.toString();
    }

    static ChildJvm app(String... libs) {
        return ChildJvm.app(OpenMpRuntimesApp.class).jna().args(libs).agent("cores=2").report();
    }

    static List<Map<String, Object>> openMp(ChildJvm.Result r) throws Exception {
        return ChildJvm.objects(r.report(), "native").stream().filter(m -> "openmp".equals(m.get("internal_api")))
                .collect(Collectors.toList());
    }

    @Test
    void libgompAndLibompTogetherAreOneWarningLineAndAReportFieldAndBothAreGoverned() throws Exception {
        String gomp = need(LIBGOMP, "libgomp1");
        String omp = need(LIBOMP, "libomp5");
        ChildJvm.Result r = app(gomp, omp).run();
        assertEquals(0, r.exit, r::toString);
        assertEquals("1", r.value("done"), r::toString);
        List<String> lines = r.agentLines();
        assertEquals(1, lines.size(), r.stderr);
        String line = lines.get(0);
        assertTrue(line.contains("2 OpenMP runtimes are loaded in this process"), line);
        List<Map<String, Object>> recs = openMp(r);
        assertEquals(2, recs.size(), recs::toString);
        for (Map<String, Object> rec : recs) {
            String file = (String) rec.get("filepath");
            assertTrue(line.contains(file), () -> file + " not named in: " + line);
            Object others = rec.get("other_openmp");
            assertTrue(others instanceof List && ((List<?>) others).size() == 1, rec::toString);
            String other = (String) ((List<?>) others).get(0);
            assertFalse(other.equals(file), rec::toString);
            assertTrue(recs.stream().anyMatch(o -> other.equals(o.get("filepath"))), recs::toString);
            assertEquals(1L, rec.get("min_set"), rec::toString);
        }
        assertEquals(List.of("libgomp", "libomp"), recs.stream().map(m -> m.get("prefix")).sorted()
                .collect(Collectors.toList()), recs::toString);
        // both governed: main at the budget, each worker of the pool of 2 at its share, in each runtime
        assertEquals("2", r.value("main_libgomp"), r::toString);
        assertEquals("2", r.value("main_libomp"), r::toString);
        assertEquals("[1,1]", r.value("worker_libgomp"), r::toString);
        assertEquals("[1,1]", r.value("worker_libomp"), r::toString);
    }

    @Test
    void oneOpenMpRuntimeIsNoWarningAndNoField() throws Exception {
        ChildJvm.Result r = app(need(LIBGOMP, "libgomp1")).run();
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.agentLines().isEmpty(), r.stderr);
        List<Map<String, Object>> recs = openMp(r);
        assertEquals(1, recs.size(), recs::toString);
        assertFalse(recs.get(0).containsKey("other_openmp"), recs::toString);
        assertEquals("[1,1]", r.value("worker_libgomp"), r::toString);
    }
}
