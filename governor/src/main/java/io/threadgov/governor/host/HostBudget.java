package io.threadgov.governor.host;

import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Host scope ({@code threadgov.scope=host}): this JVM's budget follows what every JVM of this user on this host that
 * runs the agent with host scope demands, through a shared {@link HostTable}; a JVM busy alone gets every core.
 */
public final class HostBudget {

    /*
     * The rule (DESIGN.md, section 11). Each JVM publishes its demand, the threads that compute now: its busy
     * governed workers not parked at this moment and its threads inside native BLAS calls
     * (Governor.computingThreads()), capped at the host's cores
     * C, as the larger of its last two samples (one sample between two calls of a busy loop would read 0). Each
     * JVM's grant, from its demand d and the others' o:
     *   o == 0          -> C             (busy alone, or everyone idle: every core)
     *   d + o <= C      -> C - o         (room for all: the others keep theirs, this one takes the rest)
     *   otherwise       -> max(1, round(C d / (d + o)))   (all busy: cores in proportion to demand)
     * and the grant becomes this JVM's budget B through the same path as a budget set over JMX (pools re-granted,
     * native counts re-applied), whenever it changes. A tick every TICK_MS; the grant follows a fall at once and a
     * rise once wanted for RAISE_LOOKS ticks in a row. The same look leaves workers parked for DORMANT_LOOKS ticks
     * (message loops) out of this JVM's process-wide native count (Governor.computingThreads), so a task computing
     * beside them gets the grant's BLAS threads.
     *
     * Crash safety. A live JVM beats every tick. A slot whose beat is older than STALE_MS is checked: when its
     * process is gone, or its start time differs (the pid was reused), the slot is freed and its demand no longer
     * counts, so the others regain its share within STALE_MS + TICK_MS. A JVM that exits normally frees its slot
     * in a shutdown hook.
     *
     * Cost. Nothing on the task path: the tick reads the governor's busy count (one atomic load), a field of each
     * live governed worker and the state of each counted one, and at most 64 slots of the shared page;
     * a worker's start and end add it to and remove it from a concurrent set.
     */

    static final long TICK_MS = 10;
    static final long STALE_MS = 300;
    /**
     * Ticks in a row a higher grant must be wanted before it is taken. Executors that compute in lock step (a Spark
     * stage's tasks, one per executor) go idle between stages together: a grant raised in that gap makes both start
     * the next stage at every core until the next tick, and their BLAS counts flapped 1-2 at every stage
     * (BENCHMARKS.md, "Host scope: dormant workers").
     */
    static final int RAISE_LOOKS = 5;

    private final HostTable table;
    private final int slot;
    private final long pid;
    private final int cores;
    private final Governor governor;
    private final IntConsumer applyBudget;
    private volatile int grant;
    private volatile int demand;
    private volatile int othersDemand;
    private volatile int jvms = 1;
    private volatile long changes;
    private volatile long reclaimed;
    private int previousSample;
    private int raiseLooks;
    private volatile boolean closed;

    private HostBudget(HostTable table, int slot, long pid, int cores, Governor governor, IntConsumer applyBudget) {
        this.table = table;
        this.slot = slot;
        this.pid = pid;
        this.cores = cores;
        this.governor = governor;
        this.applyBudget = applyBudget;
        this.grant = cores;
    }

    /**
     * Joins the host's table at {@code path} (null: the default place) with {@code cores} for the host, and starts
     * following it; {@code applyBudget} sets this JVM's budget. Returns null after one stderr line when host scope
     * cannot be used (the JVM keeps jvm scope).
     */
    public static HostBudget start(Governor governor, int cores, Path path, IntConsumer applyBudget) {
        try {
            Path p = path != null ? path : defaultPath();
            HostTable t = HostTable.open(p, uid());
            long pid = ProcessHandle.current().pid();
            long now = System.currentTimeMillis();
            int slot = t.claim(pid, startTime(pid), now);
            if (slot < 0) {
                reclaimDead(t, pid, now);
                slot = t.claim(pid, startTime(pid), now);
            }
            if (slot < 0) {
                throw new HostTable.Refused(p + " has no free slot (" + HostTable.SLOTS + " JVMs)");
            }
            HostBudget h = new HostBudget(t, slot, pid, cores, governor, applyBudget);
            h.tick();
            Thread th = new Thread(h::run, "threadgov-host");
            th.setDaemon(true);
            th.start();
            Runtime.getRuntime().addShutdownHook(new Thread(h::close, "threadgov-host-exit"));
            Log.info("host scope: " + p + ", slot " + slot + ", " + cores + " cores");
            return h;
        } catch (Throwable e) {
            Log.warn("host scope not used, this JVM governs its own budget: " + e.getMessage());
            return null;
        }
    }

    /** /dev/shm, else the user's runtime directory, else the temporary directory; one file per user. */
    static Path defaultPath() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = Path.of("/dev/shm");
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            String xdg = System.getenv("XDG_RUNTIME_DIR");
            dir = xdg != null ? Path.of(xdg) : Path.of(System.getProperty("java.io.tmpdir"));
        }
        return dir.resolve("threadgov-host-" + user);
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(TICK_MS);
                tick();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                Log.failure("host scope", t);
            }
        }
    }

    /** One tick: publish this JVM's demand, read the others', apply the grant when it changed. */
    void tick() {
        long now = System.currentTimeMillis();
        int sample = Math.min(cores, Math.max(0, governor.computingThreads()));
        int d = Math.max(sample, previousSample);
        previousSample = sample;
        int others = 0;
        int seen = 1;
        for (int i = 0; i < HostTable.SLOTS; i++) {
            long p = table.pid(i);
            if (i == slot || p == 0) {
                continue;
            }
            if (gone(table, i, p, now)) {
                if (table.free(i, p)) {
                    reclaimed++;
                    Log.info("host scope: freed the slot of JVM " + p + " (gone)");
                }
                continue;
            }
            int od = table.demand(i);
            if (od < 0) {
                continue; // corrupt: ignored
            }
            others += Math.min(cores, od);
            seen++;
        }
        int want = grant(cores, d, others);
        raiseLooks = want > grant ? raiseLooks + 1 : 0;
        int g = follow(grant, want, raiseLooks);
        demand = d;
        othersDemand = others;
        jvms = seen;
        table.publish(slot, now, d, g);
        if (g != grant) {
            int from = grant;
            grant = g;
            changes++;
            applyBudget.accept(g);
            governor.events().hostBudget(cores, from, g, d, others, seen);
        }
    }

    /** The grant of a JVM demanding {@code d} while the others demand {@code o}, on {@code c} cores. */
    static int grant(int c, int d, int o) {
        if (o <= 0) {
            return c;
        }
        if (d + o <= c) {
            return Math.max(1, c - o);
        }
        return Math.max(1, (int) Math.round((double) c * d / (d + o)));
    }

    /**
     * The grant after a tick that computed {@code want} while {@code current} holds, {@code looks} ticks in a row
     * wanting more: lowered at once (the others compute now), raised only once wanted for RAISE_LOOKS ticks.
     */
    static int follow(int current, int want, int looks) {
        if (want < current || want > current && looks >= RAISE_LOOKS) {
            return want;
        }
        return current;
    }

    /** Frees this JVM's slot (exit). */
    void close() {
        closed = true;
        table.free(slot, pid);
    }

    /**
     * The report's {@code host}: table, cores, grant, demand, others_demand, jvms, changes, reclaimed, and the
     * workers left out of the process-wide native count (dormant_workers now, dormant_changes).
     */
    public Map<String, Object> record() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", table.path.toString());
        m.put("cores", cores);
        m.put("grant", grant);
        m.put("demand", demand);
        m.put("others_demand", othersDemand);
        m.put("jvms", jvms);
        m.put("changes", changes);
        m.put("reclaimed", reclaimed);
        m.put("dormant_workers", governor.dormantWorkers());
        m.put("dormant_changes", governor.dormantChanges());
        return m;
    }

    private static void reclaimDead(HostTable t, long me, long now) {
        for (int i = 0; i < HostTable.SLOTS; i++) {
            long p = t.pid(i);
            if (p != 0 && p != me && gone(t, i, p, now)) {
                t.free(i, p);
            }
        }
    }

    /**
     * Whether slot {@code i}'s holder {@code pid} is gone: its beat is stale and its process ended (or its pid was
     * reused). A stale slot of a live process (stopped, in a long pause) is not.
     */
    private static boolean gone(HostTable t, int i, long pid, long now) {
        return now - t.beat(i) > STALE_MS && !alive(pid, t.start(i));
    }

    /** Whether process {@code pid} runs and is the one that started at {@code start} (not a reused pid). */
    static boolean alive(long pid, long start) {
        long s = startTime(pid);
        return s > 0 && s == start;
    }

    /** Field 22 of /proc/PID/stat (start time in clock ticks since boot), 0 when the process is gone. */
    static long startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[19]); // fields after "(comm)" start at field 3
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** This process's user id (the owner of /proc/self). */
    static int uid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
