package io.threadgov.kernels.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/**
 * {@code verify --html}: the page drawn from a small stored JSON (the fixture) holds every kernel's name and
 * numbers, escapes hostile strings (a kernel name, the command, a reason), and is well-formed (it parses as XML:
 * every element closed, every entity known); the JSON written by a run reads back with each side's runs.
 */
class HtmlReportTest {

    private static VerifyJson.Results fixture() throws IOException {
        try (InputStream in = HtmlReportTest.class.getResourceAsStream("verify-fixture.json")) {
            return VerifyJson.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Document parse(String page) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void thePageHoldsEveryKernelsNameAndNumbers() throws Exception {
        String page = HtmlReport.render(fixture(), "stored/verify.json");
        String text = parse(page).getDocumentElement().getTextContent();
        // nested-blas: medians, each side's spread, peaks, ratios, the best setting
        for (String s : List.of("nested-blas", "412.3 ms", "88.1 ms", "95.5 ms", "85.0..90.2 ms", "94.3..97.8 ms",
                "(1 run)", "(3 runs", "peak 41 threads", "peak 12 threads", "peak 9 threads", "outer=2 inner=1",
                "agent/best static 0.92", "none/agent 4.68", "41 / 12 / 9")) {
            assertTrue(text.contains(s), () -> "page text lacks '" + s + "':\n" + text);
        }
        // the hostile kernel: its name as text, its failed agent run, its reason, its best static setting
        for (String s : List.of("<script>alert(\"k\")</script> & co", "50.0 ms", "30.3 ms", "29.9..31.7 ms",
                "no result (failed or not run)", "agent: exit code 1 <img src=x onerror=alert(1)>",
                "outer=2 & inner=<1>", "NOT OK", "20 / - / 10")) {
            assertTrue(text.contains(s), () -> "page text lacks '" + s + "':\n" + text);
        }
        // the header
        for (String s : List.of("2026-01-02T03:04:05Z", "2 cores (machine: 4 cores), quick sizes",
                "AMD <EPYC> & \"co\"", "Java 17.0.15+6", "/opt/threadgov-agent.jar", "pools=all",
                "verify --kernel '<script>alert(1)</script>' && echo \"pwned\" <b>", "stored/verify.json",
                "1 of 2 kernels ok")) {
            assertTrue(text.contains(s), () -> "page text lacks '" + s + "':\n" + text);
        }
        assertEquals(2, count(page, "<section class=\"kernel\""));
        assertEquals(2, count(page, "<svg "));
    }

    @Test
    void hostileStringsAreEscapedAndThePageHasNoScriptNorAnythingFromElsewhere() throws Exception {
        String page = HtmlReport.render(fixture(), "x<script>.json");
        assertFalse(page.toLowerCase(Locale.ROOT).contains("<script"), page);
        assertFalse(page.toLowerCase(Locale.ROOT).contains("<img"), page);
        assertTrue(page.contains("&lt;script&gt;alert(&quot;k&quot;)&lt;/script&gt; &amp; co"), page);
        assertTrue(page.contains("&#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39; &amp;&amp; echo &quot;pwned&quot; &lt;b&gt;"), page);
        assertTrue(page.contains("exit code 1 &lt;img src=x onerror=alert(1)&gt;"), page);
        assertFalse(page.contains("http:") || page.contains("https:") || page.contains("url("), "nothing fetched");

        Document doc = parse(page);
        NodeList all = doc.getElementsByTagName("*");
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            String tag = e.getTagName().toLowerCase(Locale.ROOT);
            if (List.of("script", "img", "iframe", "object", "embed", "link", "image", "foreignobject").contains(tag)) {
                bad.add("element " + tag);
            }
            NamedNodeMap attrs = e.getAttributes();
            for (int a = 0; a < attrs.getLength(); a++) {
                String name = attrs.item(a).getNodeName().toLowerCase(Locale.ROOT);
                String value = attrs.item(a).getNodeValue();
                if (name.startsWith("on") || name.equals("src") || name.endsWith("href") && !value.startsWith("#")) {
                    bad.add(tag + " " + name + "=" + value);
                }
            }
        }
        assertEquals(List.of(), bad);
        assertEquals("html", doc.getDocumentElement().getTagName());
        assertEquals(1, doc.getElementsByTagName("style").getLength());
    }

    @Test
    void whatARunWritesReadsBackWithEachSidesRuns() {
        Setting agent = Setting.agent("agent.jar", null, null, null);
        Setting two = Setting.fixed(2, 1);
        Verdict r = new Verdict("k&<1>");
        r.none = run(Setting.none(), 300, 40);
        r.agent = run(agent, 30, 12);
        r.grid.add(run(two, 20, 9));
        r.grid.add(run(Setting.fixed(8, 1), 28, 15));
        r.pickBest();
        r.staticRuns.add(run(two, 26, 9));
        r.agentRuns.add(run(agent, 27, 12));
        r.agentRuns.add(run(agent, 29, 12));
        r.staticRuns.add(run(two, 24, 9));
        r.judge();
        VerifyJson.Run about = new VerifyJson.Run("2026-01-02T03:04:05Z", "cpu \"x\"", "java -jar k.jar verify --quick",
                "17", 2, 2, true, null, null, 1e-9);
        VerifyJson.Results back = VerifyJson.read(VerifyJson.write(about, List.of(r)));
        assertEquals(about, back.run());
        VerifyJson.Kernel k = back.kernels().get(0);
        assertEquals("k&<1>", k.kernel());
        assertTrue(k.ok());
        assertEquals(List.of(300.0), k.noneRuns());
        assertEquals(List.of(30.0, 27.0, 29.0), k.agentRuns());
        assertEquals(List.of(26.0, 24.0), k.bestRuns());
        assertEquals(29.0, k.agentMs(), 1e-9);
        assertEquals(25.0, k.bestMs(), 1e-9);
        assertEquals("outer=2 inner=1", k.bestSetting());
        assertEquals(List.of(40, 12, 9), List.of(k.peakNone(), k.peakAgent(), k.peakBest()));
    }

    @Test
    void aJsonWrittenBeforeThePageExistedIsDrawnWithWhatItHas() throws Exception {
        String old = "{\"cores\": 2, \"machine_cores\": 2, \"quick\": false, \"agent\": null, \"agent_args\": null,"
                + " \"relative_tolerance\": 1.0E-9, \"kernels\": [{\"kernel\": \"phased\", \"ok\": true, \"none_ms\": 120.0,"
                + " \"agent_ms\": 80.0, \"best_static_ms\": 100.0, \"best_static\": \"outer=2 inner=1\","
                + " \"peak_threads_none\": 30, \"peak_threads_agent\": 12, \"agent_runs_ms\": [81.0, 79.0, 80.0],"
                + " \"best_static_runs_ms\": []}]}";
        String text = parse(HtmlReport.render(VerifyJson.read(old), "old.json")).getDocumentElement().getTextContent();
        for (String s : List.of("CPU model not recorded", "command", "not recorded", "2 cores (machine: 2 cores), full sizes",
                "120.0 ms (1 run)", "80.0 ms (3 runs: 79.0..81.0 ms)", "100.0 ms (1 run)", "30 / 12 / -")) {
            assertTrue(text.contains(s), () -> "page text lacks '" + s + "':\n" + text);
        }
    }

    @Test
    void somethingThatIsNotVerifysJsonIsRefusedWithWhatIsMissing() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VerifyJson.read("[1, 2]")).getMessage()
                .contains("not a JSON object"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VerifyJson.read("{\"cores\": 2}")).getMessage()
                .contains("no \"kernels\" list"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VerifyJson.read("{\"kernels\": [{\"ok\": true}]}"))
                .getMessage().contains("has no \"kernel\" name"));
    }

    private static ChildRun.Outcome run(Setting s, double ms, int peak) {
        return new ChildRun.Outcome(s, true, null, "42", true, ms, peak, peak / 2, Map.of(), null, null);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
