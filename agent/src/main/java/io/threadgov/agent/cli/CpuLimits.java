package io.threadgov.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU limits Linux puts on this process, read from files (no native code): the cgroup CPU quota
 * (v2 {@code cpu.max}, v1 {@code cpu.cfs_quota_us}/{@code cpu.cfs_period_us}, the smallest along the
 * process's cgroup path), the affinity mask ({@code Cpus_allowed_list} in {@code /proc/self/status}, which is
 * what sched_getaffinity returns) and the online CPUs. All paths hang off a root so tests can give a fake tree.
 */
final class CpuLimits {

    /** The CPU quota in cores (quota / period), or -1 when none; and where it was read. */
    final double quotaCores;
    final String quotaSource;
    final int cgroupVersion;
    final String affinityList;
    final int affinityCpus;
    final int onlineCpus;

    private CpuLimits(double quotaCores, String quotaSource, int cgroupVersion, String affinityList, int affinityCpus,
                      int onlineCpus) {
        this.quotaCores = quotaCores;
        this.quotaSource = quotaSource;
        this.cgroupVersion = cgroupVersion;
        this.affinityList = affinityList;
        this.affinityCpus = affinityCpus;
        this.onlineCpus = onlineCpus;
    }

    static CpuLimits read() {
        return read(Path.of("/"));
    }

    static CpuLimits read(Path root) {
        String cgroupFile = readQuiet(root.resolve("proc/self/cgroup"));
        Path fs = root.resolve("sys/fs/cgroup");
        double quota = -1;
        String source = "none";
        int version = 0;
        if (cgroupFile != null) {
            String v2Path = null;
            String v1Path = null;
            for (String line : cgroupFile.split("\n")) {
                String[] f = line.split(":", 3);
                if (f.length < 3) {
                    continue;
                }
                if (f[0].equals("0") && f[1].isEmpty()) {
                    v2Path = f[2];
                } else if (List.of(f[1].split(",")).contains("cpu")) {
                    v1Path = f[2];
                }
            }
            if (v1Path != null) {
                version = 1;
                for (String mount : new String[] {"cpu,cpuacct", "cpu", "cpuacct,cpu"}) {
                    Path m = fs.resolve(mount);
                    if (Files.isDirectory(m)) {
                        double[] q = smallestAlong(m, v1Path, true);
                        if (q != null) {
                            quota = q[0];
                            source = q[1] < 0 ? "none" : relative(root, m) + (v1Path.equals("/") ? "" : v1Path)
                                    + "/cpu.cfs_quota_us";
                        }
                        break;
                    }
                }
            } else if (v2Path != null && Files.exists(fs.resolve("cgroup.controllers"))) {
                version = 2;
                double[] q = smallestAlong(fs, v2Path, false);
                if (q != null) {
                    quota = q[0];
                    source = q[1] < 0 ? "none" : relative(root, fs) + (v2Path.equals("/") ? "" : v2Path) + "/cpu.max";
                }
            }
        }
        String status = readQuiet(root.resolve("proc/self/status"));
        String affinity = null;
        if (status != null) {
            for (String line : status.split("\n")) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    affinity = line.substring("Cpus_allowed_list:".length()).trim();
                }
            }
        }
        String online = readQuiet(root.resolve("sys/devices/system/cpu/online"));
        return new CpuLimits(quota, source, version, affinity, affinity == null ? -1 : countList(affinity),
                online == null ? -1 : countList(online.trim()));
    }

    /**
     * The smallest quota on the way from the cgroup up to the mount root; {quota cores, 1} or {-1, -1} when
     * unlimited, null when nothing could be read. In a container the process's path often does not exist
     * under the mount (the mount is the container's own cgroup): then the mount root's file counts.
     */
    private static double[] smallestAlong(Path mount, String cgPath, boolean v1) {
        double best = Double.MAX_VALUE;
        boolean read = false;
        Path dir = mount.resolve(cgPath.startsWith("/") ? cgPath.substring(1) : cgPath).normalize();
        if (!Files.isDirectory(dir)) {
            dir = mount;
        }
        while (dir != null && dir.startsWith(mount)) {
            double q = v1 ? v1Quota(dir) : v2Quota(dir);
            if (!Double.isNaN(q)) {
                read = true;
                if (q > 0) {
                    best = Math.min(best, q);
                }
            }
            if (dir.equals(mount)) {
                break;
            }
            dir = dir.getParent();
        }
        if (!read) {
            return null;
        }
        return best == Double.MAX_VALUE ? new double[] {-1, -1} : new double[] {best, 1};
    }

    /** cpu.max "max 100000" or "200000 100000": cores, -1 for max, NaN when absent. */
    private static double v2Quota(Path dir) {
        String s = readQuiet(dir.resolve("cpu.max"));
        if (s == null) {
            return Double.NaN;
        }
        String[] f = s.trim().split("\\s+");
        if (f.length < 1 || f[0].equals("max")) {
            return -1;
        }
        try {
            long q = Long.parseLong(f[0]);
            long p = f.length > 1 ? Long.parseLong(f[1]) : 100_000;
            return p > 0 ? (double) q / p : -1;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double v1Quota(Path dir) {
        String q = readQuiet(dir.resolve("cpu.cfs_quota_us"));
        String p = readQuiet(dir.resolve("cpu.cfs_period_us"));
        if (q == null || p == null) {
            return Double.NaN;
        }
        try {
            long quota = Long.parseLong(q.trim());
            long period = Long.parseLong(p.trim());
            return quota <= 0 || period <= 0 ? -1 : (double) quota / period;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The number of CPUs in a list like "0-3,8,10-11". */
    static int countList(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            try {
                if (dash < 0) {
                    Integer.parseInt(p);
                    n++;
                } else {
                    n += Integer.parseInt(p.substring(dash + 1)) - Integer.parseInt(p.substring(0, dash)) + 1;
                }
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return n;
    }

    /** The quota rounded up to whole cores, as the JDK does, or -1. */
    int quotaCpus() {
        return quotaCores <= 0 ? -1 : (int) Math.ceil(quotaCores);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cgroup_version", cgroupVersion);
        m.put("cgroup_quota_cores", quotaCores <= 0 ? null : quotaCores);
        m.put("cgroup_quota_source", quotaSource);
        m.put("affinity", affinityList);
        m.put("affinity_cpus", affinityCpus);
        m.put("online_cpus", onlineCpus);
        return m;
    }

    private static String relative(Path root, Path p) {
        return "/" + root.relativize(p);
    }

    private static String readQuiet(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
