package io.threadgov.agent;

import java.io.File;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

/**
 * Makes the bootstrap bridge ({@code META-INF/threadgov/bootstrap.jar} inside the agent jar) visible to
 * the bootstrap class loader, so code inserted into JDK classes can call it.
 *
 * <p>The classes are defined directly in the bootstrap loader ({@code jdk.internal.misc.Unsafe}, opened
 * to the agent through {@link Instrumentation#redefineModule}): appending a jar to the bootstrap class
 * path instead would switch off class data sharing for application classes (slower start) and make the
 * JVM print a warning. Where that fails, the jar is appended after all.
 */
final class BootstrapInjector {

    static final String RESOURCE = "META-INF/threadgov/bootstrap.jar";
    private static volatile boolean injected;

    private BootstrapInjector() {
    }

    static synchronized boolean inject(Instrumentation inst) {
        if (injected || bridgeVisible()) {
            injected = true;
            return true;
        }
        byte[] jar;
        try (InputStream in = ThreadGovAgent.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                System.err.println("threadgov: " + RESOURCE + " missing from the agent jar; the application runs on ungoverned");
                return false;
            }
            jar = in.readAllBytes();
        } catch (Exception e) {
            System.err.println("threadgov: cannot read the bootstrap bridge, the application runs on ungoverned: " + e);
            return false;
        }
        try {
            defineInBootLoader(inst, jar);
            injected = true;
            return true;
        } catch (Throwable e) {
            // fall through to the documented way
        }
        try {
            Path tmp = Files.createTempFile("threadgov-bootstrap-", ".jar");
            File f = tmp.toFile();
            f.deleteOnExit();
            Files.write(tmp, jar);
            inst.appendToBootstrapClassLoaderSearch(new JarFile(f));
            injected = true;
            return true;
        } catch (Exception e) {
            System.err.println("threadgov: cannot install the bootstrap bridge, the application runs on ungoverned: " + e);
            return false;
        }
    }

    private static boolean bridgeVisible() {
        try {
            Class.forName("io.threadgov.bootstrap.Bridge", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static void defineInBootLoader(Instrumentation inst, byte[] jar) throws Exception {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarInputStream in = new JarInputStream(new java.io.ByteArrayInputStream(jar))) {
            for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                String n = e.getName();
                if (n.endsWith(".class")) {
                    classes.put(n.substring(0, n.length() - 6).replace('/', '.'), in.readAllBytes());
                }
            }
        }
        Module base = Object.class.getModule();
        Module agent = BootstrapInjector.class.getModule();
        inst.redefineModule(base, Set.of(), Map.of("jdk.internal.misc", Set.of(agent)), Map.of(), Set.of(), Map.of());
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, java.security.ProtectionDomain.class);
        // interfaces first: Bridge refers to Hooks
        for (int pass = 0; pass < 2; pass++) {
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                boolean iface = c.getKey().endsWith(".Hooks");
                if ((pass == 0) == iface) {
                    define.invoke(unsafe, c.getKey(), c.getValue(), 0, c.getValue().length, null, null);
                }
            }
        }
    }
}
