package io.threadgov.governor.natives;

import java.util.ArrayList;
import java.util.List;

/**
 * The native runtime families threadgov governs, identified as threadpoolctl does: a file-name prefix
 * selects candidates (pure Java), then symbols present in that very file decide (JNA).
 */
enum RuntimeKind {
    OPENBLAS("blas", "openblas", "libopenblas", "libblas", "libscipy_openblas"),
    MKL("blas", "mkl", "libmkl_rt", "mkl_rt", "libblas"),
    BLIS("blas", "blis", "libblis", "libblas"),
    FLEXIBLAS("blas", "flexiblas", "libflexiblas"),
    OPENMP("openmp", "openmp", "libgomp", "libomp", "libiomp");

    final String userApi;
    final String internalApi;
    final List<String> prefixes;

    RuntimeKind(String userApi, String internalApi, String... prefixes) {
        this.userApi = userApi;
        this.internalApi = internalApi;
        this.prefixes = List.of(prefixes);
    }

    /** The prefix of {@code fileName} this kind recognises, or null. */
    String prefixOf(String fileName) {
        for (String p : prefixes) {
            if (fileName.startsWith(p)) {
                return p;
            }
        }
        return null;
    }

    /** Kinds whose prefix matches {@code fileName}, most specific first. */
    static List<RuntimeKind> candidates(String fileName) {
        List<RuntimeKind> out = new ArrayList<>(2);
        for (RuntimeKind k : values()) {
            if (k.prefixOf(fileName) != null) {
                out.add(k);
            }
        }
        return out;
    }

    /** True when {@code api} names this kind: its user_api, internal_api or "all". */
    boolean matches(String api) {
        return api.equals("all") || api.equalsIgnoreCase(userApi) || api.equalsIgnoreCase(internalApi);
    }
}
