package io.threadgov.kernels.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.threadgov.kernels.Kernels;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The static grid verify runs for a kernel: outer {C, D} x inner {min, C} (+ the kernel's own inner default). */
class VerifyGridTest {

    private static List<String> labels(List<Setting> grid) {
        return grid.stream().map(s -> s == null ? "none" : s.label()).toList();
    }

    @Test
    void aKernelSizedByTheCoresOnTheWholeMachineReusesTheNoneRunForItsNaivePoint() {
        assertEquals(List.of("outer=2 inner=1", "outer=2 inner=default", "outer=8 inner=1", "none"),
                labels(StaticGrid.points(2, 2, 1, 2)));
        assertEquals(List.of("outer=2 inner=default", "none"),
                labels(StaticGrid.points(2, 2, 2, 2)), "sibling-wait never gets fewer than 2: inner 1 becomes 2 = C");
        assertEquals(List.of("outer=4 inner=2", "outer=4 inner=default", "outer=16 inner=2", "none"),
                labels(StaticGrid.points(4, 4, 2, 4)));
        assertEquals(List.of("outer=1 inner=1", "outer=8 inner=1"), labels(StaticGrid.points(1, 2, 1, 2)));
    }

    @Test
    void aKernelWhosePoolsAreSizedByItsFanOutGetsThatInnerAndItsCoresPointIsSetExplicitly() {
        assertEquals(List.of("outer=2 inner=1", "outer=2 inner=2", "outer=2 inner=16",
                        "outer=8 inner=1", "outer=8 inner=2", "outer=8 inner=16"),
                labels(StaticGrid.points(2, 2, 1, 16)));
        assertEquals(List.of("outer=1 inner=1", "outer=1 inner=16", "outer=8 inner=1", "outer=8 inner=16"),
                labels(StaticGrid.points(1, 2, 1, 16)));
    }

    @Test
    void ioFanoutIsAKernelAndAsksForSixteenInnerThreadsWhateverTheCores() {
        assertEquals(16, Kernels.byName("io-fanout").orElseThrow().defaultInner(2));
        assertEquals(16, Kernels.byName("io-fanout").orElseThrow().defaultInner(64));
        assertEquals(Arrays.asList(2, 2, 2, 2, 2, 2, 2),
                Kernels.all().stream().filter(k -> !k.name().equals("io-fanout")).map(k -> k.defaultInner(2)).toList());
    }
}
