package io.threadgov.governor.natives;

import com.sun.jna.Function;
import com.sun.jna.Memory;

/**
 * FlexiBLAS: a dispatcher in front of a backend BLAS; its thread setter is process-wide and forwards
 * to the backend. Not installed on the development machine: controlled from threadpoolctl's symbol
 * names, not tested against a real FlexiBLAS.
 */
final class FlexiBlasRuntime extends NativeRuntime {

    private final Function get;
    private final Function set;

    private FlexiBlasRuntime(String prefix, NativeLib lib, Function get, Function set) {
        super(RuntimeKind.FLEXIBLAS, prefix, lib);
        this.get = get;
        this.set = set;
        Function ver = lib.own("flexiblas_get_version");
        if (ver != null) {
            Memory m = new Memory(12);
            m.clear();
            ver.invokeInt(new Object[] {m.share(0), m.share(4), m.share(8)});
            version = m.getInt(0) + "." + m.getInt(4) + "." + m.getInt(8);
        }
        Function backend = lib.own("flexiblas_current_backend");
        if (backend != null) {
            Memory buf = new Memory(1024);
            buf.clear();
            backend.invokeInt(new Object[] {buf, 1024L});
            architecture = null;
            threadingLayer = "backend " + buf.getString(0);
        }
    }

    static FlexiBlasRuntime identify(String prefix, NativeLib lib) {
        Function get = lib.own("flexiblas_get_num_threads");
        Function set = lib.own("flexiblas_set_num_threads");
        return get != null && set != null ? new FlexiBlasRuntime(prefix, lib, get, set) : null;
    }

    @Override
    boolean perThread() {
        return false;
    }

    @Override
    int threads() {
        return get.invokeInt(new Object[0]);
    }

    @Override
    void setProcess(int n) {
        set.invokeVoid(new Object[] {n});
    }
}
