package io.threadgov.governor.natives;

import com.sun.jna.Function;
import com.sun.jna.Memory;

/**
 * Intel MKL through its single dynamic library {@code mkl_rt}. Per-thread when
 * {@code MKL_Set_Num_Threads_Local} exists (it acts on the calling thread; 0 returns the thread to the
 * global value), else process-wide through {@code MKL_Set_Num_Threads}.
 * Not installed on the development machine: identified and controlled from threadpoolctl's symbol names,
 * not tested against a real MKL.
 */
final class MklRuntime extends NativeRuntime {

    private static final String[] LAYERS = {"intel", "sequential", "pgi", "gnu", "tbb"};

    private final Function get;
    private final Function set;
    private final Function setLocal;

    private MklRuntime(String prefix, NativeLib lib, Function get, Function set) {
        super(RuntimeKind.MKL, prefix, lib);
        this.get = get;
        this.set = set;
        this.setLocal = lib.own("MKL_Set_Num_Threads_Local");
        Function ver = lib.own("MKL_Get_Version_String");
        if (ver != null) {
            Memory buf = new Memory(256);
            buf.clear();
            ver.invokeVoid(new Object[] {buf, 256});
            version = parseVersion(buf.getString(0));
        }
        Function layer = lib.own("MKL_Set_Threading_Layer");
        if (layer != null) {
            int l = layer.invokeInt(new Object[] {-1});
            threadingLayer = l >= 0 && l < LAYERS.length ? LAYERS[l] : "not specified";
        }
    }

    static MklRuntime identify(String prefix, NativeLib lib) {
        Function get = lib.own("MKL_Get_Max_Threads");
        Function set = lib.own("MKL_Set_Num_Threads");
        return get != null && set != null ? new MklRuntime(prefix, lib, get, set) : null;
    }

    /** "Intel(R) oneAPI Math Kernel Library Version 2024.0-Product Build ..." gives "2024.0-Product". */
    static String parseVersion(String s) {
        int i = s == null ? -1 : s.indexOf("Version ");
        if (i < 0) {
            return null;
        }
        String rest = s.substring(i + "Version ".length()).trim();
        int sp = rest.indexOf(' ');
        return sp < 0 ? rest : rest.substring(0, sp);
    }

    @Override
    boolean perThread() {
        return setLocal != null;
    }

    @Override
    int threads() {
        return get.invokeInt(new Object[0]);
    }

    @Override
    void setProcess(int n) {
        set.invokeVoid(new Object[] {n});
    }

    @Override
    void setThread(int n) {
        setLocal.invokeInt(new Object[] {n});
    }
}
