package io.threadgov.kernels;

import io.threadgov.kernels.apps.IoFanout;
import io.threadgov.kernels.apps.NestedBlas;
import io.threadgov.kernels.apps.NestedForkJoin;
import io.threadgov.kernels.apps.NestedOpenmp;
import io.threadgov.kernels.apps.Phased;
import io.threadgov.kernels.apps.SiblingWait;
import io.threadgov.kernels.apps.StreamsInExecutor;
import io.threadgov.kernels.apps.Unbalanced;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The bundled kernels, in the order verify runs them. */
public final class Kernels {
    private static final List<Supplier<Kernel>> ALL = List.of(
            NestedBlas::new, NestedOpenmp::new, NestedForkJoin::new, StreamsInExecutor::new,
            Phased::new, Unbalanced::new, SiblingWait::new, IoFanout::new);

    private Kernels() {
    }

    /** Fresh instances of every kernel. */
    public static List<Kernel> all() {
        List<Kernel> out = new ArrayList<>();
        ALL.forEach(s -> out.add(s.get()));
        return out;
    }

    public static List<String> names() {
        return all().stream().map(Kernel::name).toList();
    }

    public static Optional<Kernel> byName(String name) {
        return all().stream().filter(k -> k.name().equals(name)).findFirst();
    }
}
