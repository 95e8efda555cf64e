package io.threadgov.governor.host;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The table that the JVMs of one user on one host share under host scope: a small file, mapped into each JVM, one
 * slot per JVM with its process id, start time, heartbeat, demand and grant. No native code, no socket, no daemon.
 */
final class HostTable {

    /*
     * Layout (native byte order; every field aligned to its size):
     *   header, 64 bytes: MAGIC (long), VERSION (int), SLOTS (int), reserved
     *   SLOTS slots of 64 bytes: pid (long; 0: free), start (long: the process's start time, field 22 of
     *   /proc/PID/stat, clock ticks since boot, so that a reused pid is told from its first owner), beat (long: ms
     *   since the epoch at the owner's last tick), demand (int), grant (int), reserved
     *
     * Safety. The file is created owner-only (0600), never through a symbolic link (O_NOFOLLOW), and used only when,
     * after opening, it is a regular file owned by this process's user with exactly those permissions, of this size,
     * with this header. In a sticky directory (/dev/shm, /tmp) no other user can replace it between the open and the
     * check. Anything else is refused (the caller falls back to jvm scope): another user can never change this
     * JVM's budget. A corrupt slot (negative demand, a pid that is not a process) costs a debug line and is ignored.
     *
     * Concurrency. A JVM claims a slot by a CAS of its pid from 0 to its own (VarHandle on the mapped buffer: one
     * atomic instruction on the shared page, across processes), and only the owner writes the slot's other fields
     * afterwards (volatile writes). A JVM frees a dead owner's slot by a CAS of the pid from the dead one to 0. Every
     * JVM reads every slot racily: a slot read while its owner writes gives a demand one tick old, which the next
     * tick corrects. The header is written once, under a file lock, by the JVM that created the file.
     */

    static final long MAGIC = 0x54474F56484F5354L; // "TGOVHOST"
    static final int VERSION = 1;
    static final int SLOTS = 64;
    static final int SLOT = 64;
    static final int HEADER = 64;
    static final int SIZE = HEADER + SLOTS * SLOT;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    final Path path;
    private final MappedByteBuffer map;

    private HostTable(Path path, MappedByteBuffer map) {
        this.path = path;
        this.map = map;
    }

    /**
     * Opens (creating if absent) the table at {@code path}, owned by user id {@code uid}. Throws
     * {@link Refused} naming what was wrong when the file may not be used.
     */
    static HostTable open(Path path, int uid) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (IOException e) {
            if (Files.isSymbolicLink(path)) {
                throw new Refused(path + " is a symbolic link (never followed)");
            }
            throw e;
        }
        try (ch) {
            PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Object owner = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                throw new Refused(path + " is not a regular file");
            }
            if (!(owner instanceof Integer) || (Integer) owner != uid) {
                throw new Refused(path + " belongs to user id " + owner + ", not to this process's " + uid);
            }
            if (!a.permissions().equals(OWNER_ONLY)) {
                throw new Refused(path + " has permissions " + PosixFilePermissions.toString(a.permissions())
                        + ", not rw-------");
            }
            try (FileLock lock = ch.lock()) {
                long size = ch.size();
                if (size == 0) {
                    MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
                    LONGS.setVolatile(m, 0, MAGIC);
                    INTS.setVolatile(m, 8, VERSION);
                    INTS.setVolatile(m, 12, SLOTS);
                    m.force();
                    return new HostTable(path, m);
                }
                if (size != SIZE) {
                    throw new Refused(path + " is corrupt: " + size + " bytes, not " + SIZE);
                }
                MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
                if ((long) LONGS.getVolatile(m, 0) != MAGIC || (int) INTS.getVolatile(m, 8) != VERSION
                        || (int) INTS.getVolatile(m, 12) != SLOTS) {
                    throw new Refused(path + " is corrupt: not a threadgov host table of version " + VERSION);
                }
                return new HostTable(path, m);
            }
        }
    }

    private static int at(int slot) {
        return HEADER + slot * SLOT;
    }

    long pid(int slot) {
        return (long) LONGS.getVolatile(map, at(slot));
    }

    long start(int slot) {
        return (long) LONGS.getVolatile(map, at(slot) + 8);
    }

    long beat(int slot) {
        return (long) LONGS.getVolatile(map, at(slot) + 16);
    }

    int demand(int slot) {
        return (int) INTS.getVolatile(map, at(slot) + 24);
    }

    int grant(int slot) {
        return (int) INTS.getVolatile(map, at(slot) + 28);
    }

    /** Takes a free slot for {@code pid} started at {@code start}; returns it, or -1 when none is free. */
    int claim(long pid, long start, long now) {
        for (int i = 0; i < SLOTS; i++) {
            if (pid(i) == 0 && LONGS.compareAndSet(map, at(i), 0L, pid)) {
                LONGS.setVolatile(map, at(i) + 8, start);
                LONGS.setVolatile(map, at(i) + 16, now);
                INTS.setVolatile(map, at(i) + 24, 0);
                INTS.setVolatile(map, at(i) + 28, 0);
                return i;
            }
        }
        return -1;
    }

    /** The owner's tick: its heartbeat, demand and grant. */
    void publish(int slot, long now, int demand, int grant) {
        INTS.setVolatile(map, at(slot) + 24, demand);
        INTS.setVolatile(map, at(slot) + 28, grant);
        LONGS.setVolatile(map, at(slot) + 16, now);
    }

    /** Frees {@code slot} if {@code pid} still holds it (its owner leaving, or a dead owner's). */
    boolean free(int slot, long pid) {
        return LONGS.compareAndSet(map, at(slot), pid, 0L);
    }

    /** The table may not be used: what was wrong. */
    static final class Refused extends IOException {
        Refused(String why) {
            super(why);
        }
    }
}
