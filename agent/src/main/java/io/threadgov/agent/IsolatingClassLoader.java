package io.threadgov.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Loads JNA and the native layer apart from the application. JNA cannot be relocated (its JNI library
 * binds to the {@code com.sun.jna} names), so the agent jar stores it under {@code threadgov-jna/}, where
 * no other loader looks, and this loader defines it, child-first, together with the classes of
 * {@code io.threadgov.governor.natives} that use it. An application that ships its own JNA keeps it;
 * JNA's native dispatch library is extracted per loader, so both copies coexist.
 */
final class IsolatingClassLoader extends ClassLoader {

    static final String HIDDEN = "threadgov-jna/";
    private static final String JNA = "com.sun.jna.";
    private static final String NATIVES = "io.threadgov.governor.natives.";

    private static volatile IsolatingClassLoader instance;

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader agent;
    private final ProtectionDomain domain;

    private IsolatingClassLoader(ClassLoader agent) {
        super("threadgov-natives", agent);
        this.agent = agent;
        CodeSource cs = IsolatingClassLoader.class.getProtectionDomain().getCodeSource();
        this.domain = new ProtectionDomain(cs, null, this, null);
    }

    static synchronized IsolatingClassLoader forAgent() {
        if (instance == null) {
            instance = new IsolatingClassLoader(IsolatingClassLoader.class.getClassLoader());
        }
        return instance;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(JNA) && !name.startsWith(NATIVES)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                String path = name.replace('.', '/') + ".class";
                String resource = name.startsWith(JNA) ? HIDDEN + path : path;
                byte[] bytes;
                try {
                    bytes = read(resource);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                c = defineClass(name, bytes, 0, bytes.length, domain);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private java.util.jar.JarFile jar;

    /**
     * A class file's bytes, read through the agent's JarFile: {@code getResourceAsStream} would go through
     * the JDK's URL connection classes, which the host has not loaded yet at start.
     */
    private synchronized byte[] read(String resource) throws IOException {
        if (jar == null) {
            try {
                jar = new java.util.jar.JarFile(new java.io.File(
                        IsolatingClassLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (java.net.URISyntaxException | RuntimeException e) {
                try (InputStream in = agent.getResourceAsStream(resource)) {
                    return in == null ? null : in.readAllBytes();
                }
            }
        }
        java.util.jar.JarEntry e = jar.getJarEntry(resource);
        if (e == null) {
            return null;
        }
        try (InputStream in = jar.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    @Override
    public URL getResource(String name) {
        if (name.startsWith("com/sun/jna/")) {
            return agent.getResource(HIDDEN + name);
        }
        return super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (name.startsWith("com/sun/jna/")) {
            URL u = agent.getResource(HIDDEN + name);
            return u == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(u));
        }
        return super.getResources(name);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        if (name.startsWith("com/sun/jna/")) {
            return agent.getResourceAsStream(HIDDEN + name);
        }
        return super.getResourceAsStream(name);
    }
}
