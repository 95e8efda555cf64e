package io.threadgov.agent;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Makes the bootstrap bridge visible to the bootstrap class loader, so code inserted into JDK classes
 * can call it. The agent jar stores the bridge's classes under {@code META-INF/threadgov/bootstrap/} as
 * {@code .classdata}, where no class loader looks.
 *
 * <p>The classes are defined directly in the bootstrap loader ({@code jdk.internal.misc.Unsafe}, opened
 * to the agent through {@link Instrumentation#redefineModule}): appending a jar to the bootstrap class
 * path instead would switch off class data sharing for application classes (slower start) and make the
 * JVM print a warning. Where that fails, a jar is appended after all.
 */
final class BootstrapInjector {

    static final String DIR = "META-INF/threadgov/bootstrap/";
    /** Interfaces first: Bridge refers to Hooks. */
    static final String[] CLASSES = {"io.threadgov.bootstrap.Hooks", "io.threadgov.bootstrap.Bridge"};
    private static volatile boolean injected;

    private BootstrapInjector() {
    }

    static synchronized boolean inject(Instrumentation inst) {
        if (injected || bridgeVisible()) {
            injected = true;
            return true;
        }
        byte[][] bytes = new byte[CLASSES.length][];
        try (JarFile jar = new JarFile(new File(BootstrapInjector.class.getProtectionDomain().getCodeSource().getLocation().toURI()))) {
            // read through JarFile, not getResourceAsStream: that would load the URL connection stack
            for (int i = 0; i < CLASSES.length; i++) {
                JarEntry e = jar.getJarEntry(DIR + CLASSES[i].replace('.', '/') + ".classdata");
                if (e == null) {
                    System.err.println("threadgov: " + CLASSES[i] + " missing from the agent jar; the application runs on ungoverned");
                    return false;
                }
                try (InputStream in = jar.getInputStream(e)) {
                    bytes[i] = in.readAllBytes();
                }
            }
        } catch (Exception e) {
            System.err.println("threadgov: cannot read the bootstrap bridge, the application runs on ungoverned: " + e);
            return false;
        }
        try {
            defineInBootLoader(inst, bytes);
            injected = true;
            return true;
        } catch (Throwable e) {
            // fall through to the documented way
        }
        try {
            inst.appendToBootstrapClassLoaderSearch(new JarFile(writeJar(bytes)));
            injected = true;
            return true;
        } catch (Exception e) {
            System.err.println("threadgov: cannot install the bootstrap bridge, the application runs on ungoverned: " + e);
            return false;
        }
    }

    private static boolean bridgeVisible() {
        try {
            Class.forName(CLASSES[1], false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static void defineInBootLoader(Instrumentation inst, byte[][] bytes) throws Exception {
        Module base = Object.class.getModule();
        Module agent = BootstrapInjector.class.getModule();
        inst.redefineModule(base, Set.of(), Map.of("jdk.internal.misc", Set.of(agent)), Map.of(), Set.of(), Map.of());
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, java.security.ProtectionDomain.class);
        for (int i = 0; i < CLASSES.length; i++) {
            define.invoke(unsafe, CLASSES[i], bytes[i], 0, bytes[i].length, null, null);
        }
    }

    private static File writeJar(byte[][] bytes) throws Exception {
        Path tmp = Files.createTempFile("threadgov-bootstrap-", ".jar");
        File f = tmp.toFile();
        f.deleteOnExit();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(buf)) {
            for (int i = 0; i < CLASSES.length; i++) {
                out.putNextEntry(new JarEntry(CLASSES[i].replace('.', '/') + ".class"));
                out.write(bytes[i]);
                out.closeEntry();
            }
        }
        Files.write(tmp, buf.toByteArray());
        return f;
    }
}
