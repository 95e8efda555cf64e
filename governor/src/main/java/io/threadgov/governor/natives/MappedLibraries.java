package io.threadgov.governor.natives;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shared objects this process has mapped, read from {@code /proc/self/maps}: pure Java, no native
 * call, so it can run after every load and find libraries loaded by any path (System.load, JNA, JavaCPP,
 * FFM, or a JNI library's own dlopen such as netlib's shim opening libblas.so.3 from JNI_OnLoad).
 */
final class MappedLibraries {

    /** The address range a file is mapped at: the lowest start and the highest end of its mappings. */
    record Range(long start, long end) {
        boolean contains(long address) {
            return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
        }
    }

    private MappedLibraries() {
    }

    /** Absolute path of every mapped {@code .so} file, with its address range, in map order. */
    static Map<String, Range> read() throws IOException {
        // java.io, not java.nio.file: a FileChannel would initialise NIO in the host, which loads libnet and
        // libnio and keeps a socketpair open for the rest of the process
        try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/self/maps")) {
            return parse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
    }

    static Map<String, Range> parse(String maps) {
        Map<String, Range> out = new LinkedHashMap<>();
        int pos = 0;
        int n = maps.length();
        while (pos < n) {
            int eol = maps.indexOf('\n', pos);
            if (eol < 0) {
                eol = n;
            }
            parseLine(maps, pos, eol, out);
            pos = eol + 1;
        }
        return out;
    }

    /* A line: "start-end perms offset dev inode    pathname"; the path starts at the first '/'. */
    private static void parseLine(String maps, int from, int to, Map<String, Range> out) {
        int slash = maps.indexOf('/', from);
        if (slash < 0 || slash >= to) {
            return;
        }
        String path = maps.substring(slash, to).trim();
        if (path.endsWith(" (deleted)")) {
            path = path.substring(0, path.length() - " (deleted)".length());
        }
        if (!isSharedObject(path)) {
            return;
        }
        int dash = maps.indexOf('-', from);
        int space = maps.indexOf(' ', from);
        if (dash < 0 || space < 0 || dash > space || space > to) {
            return;
        }
        long start;
        long end;
        try {
            start = Long.parseUnsignedLong(maps.substring(from, dash), 16);
            end = Long.parseUnsignedLong(maps.substring(dash + 1, space), 16);
        } catch (NumberFormatException e) {
            return;
        }
        Range r = out.get(path);
        if (r == null) {
            out.put(path, new Range(start, end));
        } else {
            out.put(path, new Range(Long.compareUnsigned(start, r.start) < 0 ? start : r.start,
                    Long.compareUnsigned(end, r.end) > 0 ? end : r.end));
        }
    }

    static boolean isSharedObject(String path) {
        String name = fileName(path);
        return name.endsWith(".so") || name.contains(".so.");
    }

    static String fileName(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? path : path.substring(i + 1);
    }
}
