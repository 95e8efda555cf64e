package io.threadgov.kernels.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --html FILE} and {@code --from JSON}: what is refused, with a message naming what is allowed. */
class VerifyHtmlOptionsTest {

    private static String refused(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> VerifyOptions.parse(args)).getMessage();
    }

    @Test
    void fromDrawsAPageAndRunsNothing(@TempDir Path dir) throws Exception {
        Path json = Files.writeString(dir.resolve("v.json"), "{\"kernels\": []}");
        VerifyOptions o = VerifyOptions.parse(new String[] {"--html", dir.resolve("v.html").toString(), "--from=" + json});
        assertEquals(json, o.from);
        assertEquals(dir.resolve("v.html"), o.html);

        String m = refused("--from", json.toString());
        assertTrue(m.contains("--from JSON draws a page from a stored --json output and needs --html FILE"), m);
        m = refused("--html", "p.html", "--from", json.toString(), "--quick", "--kernel", "phased");
        assertTrue(m.contains("--from JSON runs nothing and takes only --html FILE; got --quick, --kernel"), m);
        assertTrue(m.contains("(options of a run: --quick, --json, --kernel"), m);
        m = refused("--html", "p.html", "--from", dir.resolve("missing.json").toString());
        assertTrue(m.contains("--from takes the JSON file a run wrote with --json FILE;")
                && m.contains("missing.json' does not exist"), m);
        m = refused("--html", "p.html", "--from", dir.toString());
        assertTrue(m.contains("' is a directory"), m);
        m = refused("--html", json.toString(), "--from", json.toString());
        assertTrue(m.contains("--html FILE would overwrite its --from input"), m);
    }

    @Test
    void htmlNeedsAFileOfItsOwn(@TempDir Path dir) {
        String m = refused("--html");
        assertTrue(m.contains("--html needs a value"), m);
        m = refused("--html", " ");
        assertTrue(m.contains("--html needs a file name"), m);
        m = refused("--html", dir.toString());
        assertTrue(m.contains("--html takes the page's file name; '" + dir + "' is a directory"), m);
        m = refused("--html", "r.out", "--json", "./r.out");
        assertTrue(m.contains("--html and --json name the same file"), m);
        assertEquals(Path.of("p.html"), VerifyOptions.parse(new String[] {"--quick", "--html", "p.html"}).html);
    }
}
