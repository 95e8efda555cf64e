package io.threadgov.agent.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The native BLAS/OpenMP libraries a JVM on this machine could load: files whose names start with a known
 * prefix in the usual library directories, {@code LD_LIBRARY_PATH}, {@code java.library.path} and JavaCPP's
 * cache. Records use threadpoolctl's field names; what is only guessed from a path (threading layer,
 * version) says so by being null when unknown. Nothing is loaded.
 */
final class NativeCandidates {

    /** prefix, internal_api, user_api. Longer prefixes first. */
    private static final String[][] KNOWN = {
        {"libopenblas", "openblas", "blas"},
        {"libblis", "blis", "blas"},
        {"libmkl_rt", "mkl", "blas"},
        {"libflexiblas", "flexiblas", "blas"},
        {"libblas.so", "blas", "blas"},
        {"libgomp", "openmp", "openmp"},
        {"libiomp5", "openmp", "openmp"},
        {"libomp.so", "openmp", "openmp"},
    };

    private static final Pattern VERSION = Pattern.compile("(?:-r|[-_])(\\d+\\.\\d+\\.\\d+)\\.so");

    private NativeCandidates() {
    }

    static List<Path> searchDirectories() {
        Set<Path> dirs = new LinkedHashSet<>();
        String arch = System.getProperty("os.arch", "");
        String triplet = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64-linux-gnu"
                : arch.equals("aarch64") ? "aarch64-linux-gnu" : arch + "-linux-gnu";
        for (String d : new String[] {"/usr/lib/" + triplet, "/lib/" + triplet, "/usr/lib64", "/usr/lib",
                "/usr/local/lib", "/usr/local/lib64", "/opt/OpenBLAS/lib", "/opt/intel/oneapi/mkl/latest/lib",
                "/opt/intel/oneapi/mkl/latest/lib/intel64", "/opt/intel/oneapi/compiler/latest/lib"}) {
            dirs.add(Path.of(d));
        }
        addPathList(dirs, System.getenv("LD_LIBRARY_PATH"));
        addPathList(dirs, System.getProperty("java.library.path"));
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            out.add(d);
            // Debian's alternatives keep each BLAS flavour in a subdirectory: openblas-pthread, blis-openmp, ...
            try (DirectoryStream<Path> subs = Files.newDirectoryStream(d, p -> {
                String n = p.getFileName().toString();
                return (n.startsWith("openblas") || n.startsWith("blis") || n.startsWith("flexiblas")
                        || n.startsWith("mkl") || n.startsWith("llvm")) && Files.isDirectory(p);
            })) {
                subs.forEach(out::add);
            } catch (IOException | RuntimeException e) {
                // unreadable: skip
            }
        }
        Path javacpp = Path.of(System.getProperty("user.home", "/"), ".javacpp", "cache");
        if (Files.isDirectory(javacpp)) {
            try (var walk = Files.walk(javacpp, 8)) {
                walk.filter(p -> p.getFileName() != null && p.getFileName().toString().equals("linux-" + arch.replace("amd64", "x86_64")))
                        .filter(Files::isDirectory).forEach(out::add);
            } catch (IOException | RuntimeException e) {
                // skip
            }
        }
        return out;
    }

    private static void addPathList(Set<Path> dirs, String list) {
        if (list == null) {
            return;
        }
        for (String s : list.split(":")) {
            if (!s.isBlank()) {
                try {
                    dirs.add(Path.of(s.trim()));
                } catch (RuntimeException e) {
                    // not a path
                }
            }
        }
    }

    static List<Map<String, Object>> find() {
        return find(searchDirectories());
    }

    static List<Map<String, Object>> find(List<Path> dirs) {
        List<Map<String, Object>> out = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path dir : dirs) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                ds.forEach(files::add);
            } catch (IOException | RuntimeException e) {
                continue;
            }
            files.sort(null);
            for (Path f : files) {
                String name = f.getFileName().toString();
                String[] kind = kind(name);
                if (kind == null || !name.contains(".so")) {
                    continue;
                }
                Path real;
                try {
                    real = f.toRealPath();
                } catch (IOException | RuntimeException e) {
                    continue;
                }
                if (!Files.isRegularFile(real) || !seen.add(real)) {
                    continue;
                }
                out.add(record(f, real, kind));
            }
        }
        return out;
    }

    private static String[] kind(String name) {
        for (String[] k : KNOWN) {
            if (name.startsWith(k[0])) {
                return k;
            }
        }
        return null;
    }

    static Map<String, Object> record(Path file, Path real, String[] kind) {
        String realName = real.getFileName().toString();
        String lower = real.toString().toLowerCase(Locale.ROOT);
        String internal = kind[1];
        if (internal.equals("blas")) {
            // libblas.so.3 is a shim for whichever BLAS the system chose: name it after its real file
            internal = lower.contains("openblas") ? "openblas" : lower.contains("blis") ? "blis"
                    : lower.contains("mkl") ? "mkl" : "reference-blas";
        }
        String layer = null;
        if (internal.equals("openblas") || internal.equals("blis")) {
            if (lower.contains("-openmp/") || realName.startsWith("libopenblaso")) {
                layer = "openmp";
            } else if (lower.contains("-pthread/") || realName.startsWith("libopenblasp")) {
                layer = "pthreads";
            } else if (lower.contains("-serial/")) {
                layer = "disabled";
            }
        }
        if (internal.equals("openmp")) {
            layer = realName.startsWith("libgomp") ? "gnu" : realName.startsWith("libiomp") ? "intel" : "llvm";
        }
        Matcher v = VERSION.matcher(realName);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user_api", kind[2]);
        m.put("internal_api", internal);
        m.put("prefix", kind[0].replace(".so", ""));
        m.put("filepath", file.toAbsolutePath().toString());
        m.put("realpath", real.toString());
        m.put("version", v.find() ? v.group(1) : null);
        m.put("threading_layer", layer);
        m.put("loaded", false);
        return m;
    }
}
