package io.threadgov.governor.natives;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long the native runtimes' idle threads spin before they sleep: what each reads from the C environment only
 * when it initialises, set by the governor just before a library that is, or brings, such a runtime is loaded.
 *
 * <p>Why: the governor moves thread counts with the busy workers, so a runtime's team or server threads often go
 * idle while other threads still compute: a batch of pool tasks starts right after a call that used the whole
 * budget (the main thread's, or a batch's last task), and the idle threads then spin on the cores the workers need.
 * Each runtime's default spin is set for a process that owns the machine: a pthreads OpenBLAS spins 2^28 TSC
 * cycles (about 0.1 s) after each threaded call, LLVM/Intel OpenMP 200 ms ({@code KMP_BLOCKTIME}), GNU libgomp
 * 300000 spins (about 3 ms; 100 when it has more threads than CPUs). Measured values, docs/DESIGN.md record 8.5,
 * BENCHMARKS.md "Spin-wait":
 * <ul>
 *   <li>{@code OPENBLAS_THREAD_TIMEOUT=20} (2^20 cycles, a fraction of a millisecond: back-to-back calls still
 *       find the threads awake);</li>
 *   <li>{@code KMP_BLOCKTIME} and {@code GOMP_SPINCOUNT}: see {@link Spin}.</li>
 * </ul>
 * A value the user set is never replaced, and the OpenMP variables are left alone when the user set
 * {@code OMP_WAIT_POLICY} (their choice of spinning stands). Each runtime reads its variable when it initialises
 * (OpenBLAS and libgomp in their constructors, at {@code dlopen}; LLVM's libomp at its first parallel region),
 * so the variables must be in the C environment before the load.
 *
 * <p>Set with libc's {@code setenv} (JNA), all at once, once per process, before the first load of a library
 * whose file name names such a runtime or which names one among its direct dependencies ({@link NeededLibraries}):
 * an application that loads none never initialises JNA for this. {@code System.getenv} keeps the JVM's snapshot
 * and does not show them; the report's {@code native_environment} and {@code info} do.
 */
final class NativeEnvironment {

    static final String OMP_WAIT_POLICY = "OMP_WAIT_POLICY";

    /** One runtime's spin-wait variable, the value the governor gives it, and whether OMP_WAIT_POLICY rules it. */
    enum Spin {
        /** OpenBLAS (pthreads builds): log2 of the TSC cycles its server threads spin (default 28). */
        OPENBLAS("OPENBLAS_THREAD_TIMEOUT", "20", false),
        /** GNU libgomp: spins (each a pause) before a team thread sleeps on a futex (default 300000). */
        GOMP("GOMP_SPINCOUNT", "10000", true),
        /** LLVM and Intel OpenMP: milliseconds a team thread spins before it sleeps (default 200). */
        KMP("KMP_BLOCKTIME", "1", true);

        final String variable;
        final String value;
        final boolean waitPolicyRules;

        Spin(String variable, String value, boolean waitPolicyRules) {
            this.variable = variable;
            this.value = value;
            this.waitPolicyRules = waitPolicyRules;
        }
    }

    /** Who decided a variable's value. */
    enum SetBy {
        THREADGOV("threadgov"),
        USER("user"),
        /** Left unset: the user's {@code OMP_WAIT_POLICY} decides how that runtime waits. */
        WAIT_POLICY("omp_wait_policy");

        final String key;

        SetBy(String key) {
            this.key = key;
        }
    }

    /** One variable as it stands after the preparation. */
    static final class Setting {
        final String variable;
        final String value;
        final SetBy by;

        Setting(String variable, String value, SetBy by) {
            this.variable = variable;
            this.value = value;
            this.by = by;
        }

        @Override
        public String toString() {
            return by == SetBy.WAIT_POLICY ? variable + " unset (" + OMP_WAIT_POLICY + " rules)"
                    : by == SetBy.USER ? variable + " already " + value : variable + "=" + value;
        }
    }

    /** What one preparation did: before which load, or after which runtimes had loaded. */
    static final class Prepared {
        final String before;
        final List<String> late;
        final List<Setting> settings;

        Prepared(String before, List<String> late, List<Setting> settings) {
            this.before = before;
            this.late = late;
            this.settings = settings;
        }

        Map<String, Object> record() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("before", before);
            m.put("late", late);
            List<Object> vars = new ArrayList<>();
            for (Setting s : settings) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("name", s.variable);
                v.put("value", s.value);
                v.put("set_by", s.by.key);
                vars.add(v);
            }
            m.put("variables", vars);
            return m;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (Setting s : settings) {
                b.append(b.length() == 0 ? "" : ", ").append(s);
            }
            return b.toString();
        }
    }

    /** File-name parts of the runtimes (and of libraries that bundle one) whose spin the governor sets. */
    private static final String[] RUNTIME_NAMES = {"blas", "lapack", "mkl", "nd4j", "arpack", "gomp", "libomp",
        "iomp", "openmp", "torch", "xgboost"};

    private NativeEnvironment() {
    }

    /**
     * True when a library called {@code what} (a name or a path) may be, or bring, a runtime whose spin is set here:
     * by its file name, or, for a path to a readable file, by the names of its direct dependencies.
     */
    static boolean mayBringRuntime(String what) {
        if (what == null) {
            return false;
        }
        if (namesRuntime(MappedLibraries.fileName(what))) {
            return true;
        }
        if (what.indexOf('/') < 0) {
            return false;
        }
        Path p = Path.of(what);
        if (!Files.isRegularFile(p)) {
            return false;
        }
        for (String needed : NeededLibraries.of(p)) {
            if (namesRuntime(needed)) {
                return true;
            }
        }
        return false;
    }

    private static boolean namesRuntime(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        for (String r : RUNTIME_NAMES) {
            if (name.contains(r)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sets every runtime's spin variable where the user did not decide it; returns what stands. {@code before}: the
     * library about to load, or null when runtimes had loaded already ({@code late}, their files).
     */
    static Prepared prepare(String before, List<String> late, String fault) {
        NativeLib.initialise(fault);
        NativeLibrary process = NativeLibrary.getProcess();
        Function getenv = process.getFunction("getenv");
        Function setenv = process.getFunction("setenv");
        String waitPolicy = getenv.invokeString(new Object[] {OMP_WAIT_POLICY}, false);
        List<Setting> out = new ArrayList<>();
        for (Spin s : Spin.values()) {
            String current = getenv.invokeString(new Object[] {s.variable}, false);
            if (current != null) {
                out.add(new Setting(s.variable, current, SetBy.USER));
            } else if (s.waitPolicyRules && waitPolicy != null) {
                out.add(new Setting(s.variable, null, SetBy.WAIT_POLICY));
            } else {
                int rc = setenv.invokeInt(new Object[] {s.variable, s.value, 0});
                if (rc != 0) {
                    throw new IllegalStateException("setenv(" + s.variable + ") returned " + rc);
                }
                out.add(new Setting(s.variable, s.value, SetBy.THREADGOV));
            }
        }
        if (waitPolicy != null) {
            out.add(new Setting(OMP_WAIT_POLICY, waitPolicy, SetBy.USER));
        }
        return new Prepared(before, late, out);
    }
}
