package io.threadgov.it.apps;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/** An application that ships its own ByteBuddy and JNA (other versions than the agent's) and uses both. */
public final class OwnDepsApp {

    public interface LibC extends Library {
        int getpid();
    }

    public static void main(String[] args) throws Exception {
        Class<?> made = new ByteBuddy().subclass(Object.class).method(ElementMatchers.named("toString"))
                .intercept(FixedValue.value("made by app bytebuddy")).make()
                .load(OwnDepsApp.class.getClassLoader()).getLoaded();
        System.out.println("bytebuddy=" + made.getDeclaredConstructor().newInstance());
        String jar = ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        System.out.println("bytebuddy.jar=" + jar.substring(jar.lastIndexOf('/') + 1));
        LibC libc = Native.load("c", LibC.class);
        System.out.println("pid.match=" + (libc.getpid() == ProcessHandle.current().pid()));
        System.out.println("jna.version=" + Native.VERSION);
        ExecutorService outer = Executors.newFixedThreadPool(2);
        int p = outer.submit(() -> {
            ForkJoinPool f = new ForkJoinPool(4);
            try {
                return f.getParallelism();
            } finally {
                f.shutdown();
            }
        }).get();
        outer.shutdown();
        System.out.println("nested=" + p);
    }
}
