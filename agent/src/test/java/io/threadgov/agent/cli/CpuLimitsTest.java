package io.threadgov.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** cgroup v1/v2 quota and affinity parsing against fake /proc and /sys trees. */
class CpuLimitsTest {

    @TempDir
    Path root;

    private void file(String rel, String content) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void cgroupV2QuotaIsTheSmallestAlongThePath() throws Exception {
        file("proc/self/cgroup", "0::/kubepods/pod1/ctr\n");
        file("proc/self/status", "Name:\tjava\nCpus_allowed_list:\t0-3,6\n");
        file("sys/devices/system/cpu/online", "0-7\n");
        file("sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
        file("sys/fs/cgroup/cpu.max", "max 100000\n");
        file("sys/fs/cgroup/kubepods/pod1/cpu.max", "150000 100000\n");
        file("sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "max 100000\n");
        CpuLimits l = CpuLimits.read(root);
        assertEquals(2, l.cgroupVersion);
        assertEquals(1.5, l.quotaCores, 1e-9);
        assertEquals(2, l.quotaCpus());
        assertEquals("/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", l.quotaSource);
        assertEquals(5, l.affinityCpus);
        assertEquals(8, l.onlineCpus);
    }

    @Test
    void cgroupV2InAContainerReadsTheMountRoot() throws Exception {
        file("proc/self/cgroup", "0::/\n");
        file("sys/fs/cgroup/cgroup.controllers", "cpu\n");
        file("sys/fs/cgroup/cpu.max", "200000 100000\n");
        assertEquals(2.0, CpuLimits.read(root).quotaCores, 1e-9);
    }

    @Test
    void cgroupV1QuotaAndUnlimited() throws Exception {
        file("proc/self/cgroup", "4:memory:/x\n2:cpu,cpuacct:/docker/abc\n");
        file("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "300000\n");
        file("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");
        CpuLimits l = CpuLimits.read(root);
        assertEquals(1, l.cgroupVersion);
        assertEquals(3.0, l.quotaCores, 1e-9);
        file("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "-1\n");
        assertEquals(-1, CpuLimits.read(root).quotaCpus());
    }

    @Test
    void cpuListsAreCounted() {
        assertEquals(1, CpuLimits.countList("0"));
        assertEquals(4, CpuLimits.countList("0-3"));
        assertEquals(7, CpuLimits.countList("0-3,8,10-11"));
    }
}
