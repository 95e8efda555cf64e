package io.threadgov.governor.natives;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The libraries an ELF shared object names as its direct dependencies ({@code DT_NEEDED}), read from the file in pure
 * Java: a JNI library built with {@code -fopenmp} brings libgomp without a name that says so, and the dynamic linker
 * runs libgomp's constructor (which reads its environment) before the JNI library's own code.
 *
 * <p>Reads the ELF header, the program headers, the dynamic section and one short string per dependency: a few
 * kilobytes, whatever the file's size. Only 64-bit little-endian files (x86-64, aarch64); anything else, or a file
 * that cannot be read or parsed, has no dependencies here.
 */
final class NeededLibraries {

    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;
    /** Bounds that no sane shared object exceeds; a file beyond them is not parsed. */
    private static final int MAX_PROGRAM_HEADERS = 4096;
    private static final long MAX_DYNAMIC_BYTES = 1 << 20;
    private static final int MAX_NAME = 512;

    private NeededLibraries() {
    }

    /** The {@code DT_NEEDED} names of the file at {@code path}, in the file's order; empty when unknown. */
    static List<String> of(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(ch);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static List<String> read(FileChannel ch) throws IOException {
        ByteBuffer h = at(ch, 0, 64);
        if (h.getInt(0) != 0x464c457f || h.get(4) != 2 || h.get(5) != 1) {
            return List.of(); // not ELF, not 64-bit or not little-endian
        }
        long phoff = h.getLong(0x20);
        int phentsize = h.getShort(0x36) & 0xffff;
        int phnum = h.getShort(0x38) & 0xffff;
        if (phentsize < 56 || phnum > MAX_PROGRAM_HEADERS) {
            return List.of();
        }
        ByteBuffer ph = at(ch, phoff, phentsize * phnum);
        List<long[]> loads = new ArrayList<>(); // {vaddr, offset, filesz}
        long dynOffset = -1;
        long dynSize = 0;
        for (int i = 0; i < phnum; i++) {
            int base = i * phentsize;
            int type = ph.getInt(base);
            if (type == PT_LOAD) {
                loads.add(new long[] {ph.getLong(base + 16), ph.getLong(base + 8), ph.getLong(base + 32)});
            } else if (type == PT_DYNAMIC) {
                dynOffset = ph.getLong(base + 8);
                dynSize = ph.getLong(base + 32);
            }
        }
        if (dynOffset < 0 || dynSize <= 0 || dynSize > MAX_DYNAMIC_BYTES) {
            return List.of();
        }
        ByteBuffer dyn = at(ch, dynOffset, (int) dynSize);
        List<Long> needed = new ArrayList<>();
        long strtab = -1;
        for (int p = 0; p + 16 <= dyn.limit(); p += 16) {
            long tag = dyn.getLong(p);
            if (tag == DT_NULL) {
                break;
            }
            if (tag == DT_NEEDED) {
                needed.add(dyn.getLong(p + 8));
            } else if (tag == DT_STRTAB) {
                strtab = dyn.getLong(p + 8);
            }
        }
        long strOffset = fileOffset(loads, strtab);
        if (needed.isEmpty() || strOffset < 0) {
            return List.of();
        }
        List<String> names = new ArrayList<>(needed.size());
        for (long n : needed) {
            names.add(cString(ch, strOffset + n));
        }
        return names;
    }

    /** The file offset of virtual address {@code vaddr} (DT_STRTAB holds an address), or -1. */
    private static long fileOffset(List<long[]> loads, long vaddr) {
        for (long[] l : loads) {
            if (vaddr >= l[0] && vaddr < l[0] + l[2]) {
                return vaddr - l[0] + l[1];
            }
        }
        return -1;
    }

    private static String cString(FileChannel ch, long offset) throws IOException {
        ByteBuffer b = at(ch, offset, MAX_NAME);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.limit() && b.get(i) != 0; i++) {
            s.append((char) (b.get(i) & 0xff));
        }
        return s.toString();
    }

    /** Up to {@code n} bytes at {@code offset} (fewer at the end of the file), little-endian. */
    private static ByteBuffer at(FileChannel ch, long offset, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                break;
            }
        }
        b.flip();
        return b;
    }
}
