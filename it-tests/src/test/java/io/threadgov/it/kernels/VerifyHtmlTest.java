package io.threadgov.it.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@code verify --html FILE --from JSON} in a child JVM, from the JSON of a real quick run of one fast kernel
 * (about 16 s on 2 shared cores), and the page in a real browser: Debian's chromium, headless. The screenshot is
 * not blank and shows the three bar colours; the rendered DOM's text holds the kernel's numbers (medians, each
 * side's spread, peak threads, ratios); the page the run drew itself with {@code --html} is the same but for the
 * "drawn from" line. Chromium missing: the test fails when the environment variable CI is set, else it is
 * skipped with a message.
 */
class VerifyHtmlTest {
    static final List<String> KERNELS = List.of("nested-forkjoin");
    /** The colours of the none, agent and best static bars (HtmlReport's). */
    static final List<Integer> BAR_COLOURS = List.of(0x8c8c8c, 0x1f6fb4, 0xe07b00);
    static final int WIDTH = 1200;
    static final int HEIGHT = 1600;
    /** The chromium flags used (headless as root in CI: --no-sandbox; small /dev/shm in containers). */
    static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=" + WIDTH + "," + HEIGHT);

    @Test
    void aPageDrawnFromARealRunsJsonRendersInABrowserWithEveryNumber() throws Exception {
        Path chromium = chromium();
        assertTrue(Files.isRegularFile(ChildJvm.AGENT_JAR), "agent jar missing: " + ChildJvm.AGENT_JAR + " (run mvn package)");
        Path dir = Files.createDirectories(ChildJvm.WORK.resolve("verify-html"));
        Path json = dir.resolve("verify.json");
        Path live = dir.resolve("verify-live.html");
        Path page = dir.resolve("verify.html");
        for (Path p : List.of(json, live, page)) {
            Files.deleteIfExists(p);
        }

        ChildJvm.Result run = ChildJvm.jar(ChildJvm.KERNELS_JAR).name("verify-html-run").timeout(240)
                .args("verify", "--quick", "--kernel", String.join(",", KERNELS), "--agent", ChildJvm.AGENT_JAR.toString(),
                        "--json", json.toString(), "--html", live.toString(), "--work", dir.resolve("children").toString())
                .run();
        assertFalse(run.timedOut, () -> "verify timed out: " + run);
        assertTrue(run.exit == 0 || run.exit == 1, () -> "verify failed: " + run);
        assertTrue(Files.isRegularFile(json) && Files.isRegularFile(live), () -> "no JSON or page: " + run);

        ChildJvm.Result draw = ChildJvm.jar(ChildJvm.KERNELS_JAR).name("verify-html-from").timeout(60)
                .args("verify", "--html", page.toString(), "--from", json.toString()).run();
        assertEquals(0, draw.exit, draw::toString);
        assertFalse(draw.stderr.contains("[verify"), () -> "--from ran something: " + draw);
        String html = Files.readString(page);
        assertEquals(Files.readString(live), html.replaceAll("<tr><th>drawn from</th>.*\n", ""),
                "the run's own page and the one drawn from its JSON differ but for the source line");

        List<String> expected = expectedTexts(Files.readString(json));
        String uri = page.toUri().toString();

        ChildJvm.Result dom = browser(chromium, dir, "dump-dom", "--dump-dom", uri);
        String text = textOf(dom.stdout);
        List<String> missing = new ArrayList<>();
        for (String s : expected) {
            if (!text.contains(s)) {
                missing.add(s);
            }
        }
        assertEquals(List.of(), missing, "the rendered page's text lacks these; its text:\n" + text);
        assertEquals(KERNELS.size(), count(dom.stdout, "<svg "), "one chart per kernel in the DOM");

        Path png = dir.resolve("verify.png");
        Files.deleteIfExists(png);
        ChildJvm.Result shot = browser(chromium, dir, "screenshot", "--screenshot=" + png, uri);
        assertTrue(Files.isRegularFile(png), () -> "chromium wrote no screenshot: " + shot);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(WIDTH, img.getWidth(), "screenshot width");
        assertEquals(HEIGHT, img.getHeight(), "screenshot height");
        int nonWhite = 0;
        Set<Integer> colours = new HashSet<>();
        int[] bars = new int[BAR_COLOURS.size()];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    nonWhite++;
                }
                for (int c = 0; c < bars.length; c++) {
                    if (near(rgb, BAR_COLOURS.get(c))) {
                        bars[c]++;
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "VerifyHtmlTest: %s: %d non-white pixels (%.1f %%), %d colours, bar pixels"
                + " none/agent/best %d/%d/%d%n", png, nonWhite, 100.0 * nonWhite / (WIDTH * HEIGHT), colours.size(),
                bars[0], bars[1], bars[2]);
        assertTrue(nonWhite > WIDTH * HEIGHT / 200, "screenshot nearly blank: " + nonWhite + " non-white pixels, " + png);
        assertTrue(colours.size() >= 16, "screenshot has only " + colours.size() + " colours: " + png);
        for (int c = 0; c < bars.length; c++) {
            int colour = BAR_COLOURS.get(c);
            int pixels = bars[c];
            assertTrue(pixels >= 200 * KERNELS.size(), () -> String.format("bar colour #%06x: %d pixels, no bar drawn? %s",
                    colour, pixels, png));
        }
    }

    /** What the page must show per kernel, from the JSON the run wrote, formatted as the page does. */
    @SuppressWarnings("unchecked")
    private static List<String> expectedTexts(String json) {
        Map<String, Object> top = ChildJvm.json(json);
        List<String> out = new ArrayList<>(List.of("threadgov verify", String.valueOf(top.get("date")),
                top.get("cores") + " cores (machine: " + top.get("machine_cores") + " cores), quick sizes",
                "verify --quick --kernel " + String.join(",", KERNELS)));
        if (top.get("cpu_model") != null) {
            out.add(String.valueOf(top.get("cpu_model")));
        }
        List<Map<String, Object>> kernels = ChildJvm.objects(top, "kernels");
        assertEquals(KERNELS, kernels.stream().map(k -> k.get("kernel")).toList(), "kernels in the JSON");
        for (Map<String, Object> k : kernels) {
            out.add(String.valueOf(k.get("kernel")));
            out.add(Boolean.TRUE.equals(k.get("ok")) ? "ok" : "NOT OK");
            for (String side : List.of("none", "agent", "best_static")) {
                Object median = k.get(side + "_ms");
                if (!(median instanceof Number)) {
                    out.add("no result (failed or not run)");
                    continue;
                }
                out.add(ms(median) + " ms");
                List<Double> runs = ((List<Object>) k.get(side + "_runs_ms")).stream()
                        .filter(v -> v instanceof Number).map(v -> ((Number) v).doubleValue()).toList();
                if (runs.size() > 1) {
                    out.add("(" + runs.size() + " runs: " + ms(runs.stream().min(Double::compare).get()) + ".."
                            + ms(runs.stream().max(Double::compare).get()) + " ms)");
                }
                Object peak = k.get("peak_threads_" + side);
                out.add("peak " + (peak instanceof Number n ? Integer.toString(n.intValue()) : "-") + " threads");
            }
            if (k.get("best_static") != null) {
                out.add(String.valueOf(k.get("best_static")));
            }
            out.add("agent/best static " + ratio(k.get("agent_ms"), k.get("best_static_ms")));
            out.add("none/agent " + ratio(k.get("none_ms"), k.get("agent_ms")));
        }
        return out;
    }

    private static String ms(Object v) {
        return String.format(Locale.ROOT, "%.1f", ((Number) v).doubleValue());
    }

    private static String ratio(Object num, Object den) {
        if (!(num instanceof Number) || !(den instanceof Number)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", ((Number) num).doubleValue() / ((Number) den).doubleValue());
    }

    /** The text of a serialized DOM: tags dropped, the five escapes undone. */
    private static String textOf(String dom) {
        String body = dom.contains("<body") ? dom.substring(dom.indexOf("<body")) : dom;
        return body.replaceAll("<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&nbsp;", " ").replace("&amp;", "&");
    }

    private static boolean near(int rgb, int want) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xff) - ((want >> shift) & 0xff)) > 10) {
                return false;
            }
        }
        return true;
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * Debian's chromium: the system property threadgov.chromium, else chromium or chromium-browser on the PATH.
     * Missing: fails under CI (the variable CI set), else skips.
     */
    private static Path chromium() {
        String explicit = System.getProperty("threadgov.chromium");
        List<Path> candidates = new ArrayList<>();
        if (explicit != null && !explicit.isBlank()) {
            candidates.add(Path.of(explicit));
        } else {
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
                if (!d.isEmpty()) {
                    candidates.add(Path.of(d, "chromium"));
                    candidates.add(Path.of(d, "chromium-browser"));
                }
            }
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw ChildJvm.missing("chromium not found (" + (explicit != null ? "-Dthreadgov.chromium=" + explicit
                : "chromium, chromium-browser on the PATH") + "); install it: apt-get install chromium (.ci/run does)");
    }

    /** Runs headless chromium with its own profile directory, killed (with its processes) after 90 s. */
    private static ChildJvm.Result browser(Path chromium, Path dir, String name, String... args)
            throws IOException, InterruptedException {
        ChildJvm.Result b = ChildJvm.program(chromium.toString()).name("chromium-" + name).timeout(90)
                .args(CHROMIUM_FLAGS.toArray(String[]::new))
                .args("--user-data-dir=" + dir.resolve("chromium-profile-" + name)).args(args).run();
        assertFalse(b.timedOut, () -> "chromium did not exit in 90 s: " + b);
        assertEquals(0, b.exit, b::toString);
        return b;
    }
}
