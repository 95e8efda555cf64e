package io.threadgov.governor.natives;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ELF dependency reader on real files of this JDK, and on files that are not (or no longer) ELF. */
class NeededLibrariesTest {

    static final Path LIBJAVA = Path.of(System.getProperty("java.home"), "lib", "libjava.so");

    @Test
    void readsTheDependenciesOfARealSharedObject() {
        List<String> needed = NeededLibraries.of(LIBJAVA); // libjava needs libjvm (and libc)
        assertTrue(needed.contains("libjvm.so"), needed::toString);
        assertTrue(needed.stream().anyMatch(n -> n.startsWith("libc.so")), needed::toString);
    }

    @Test
    void aFileThatIsNotElfOrIsCutShortHasNone(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("libblas.so"), "not an ELF file");
        assertEquals(List.of(), NeededLibraries.of(text));
        byte[] whole = Files.readAllBytes(LIBJAVA);
        Path cut = Files.write(dir.resolve("cut.so"), Arrays.copyOf(whole, 200));
        assertEquals(List.of(), NeededLibraries.of(cut));
        assertEquals(List.of(), NeededLibraries.of(dir.resolve("missing.so")));
    }

    @Test
    void aLibraryIsTakenForARuntimeByItsNameOrByWhatItNeeds() {
        assertTrue(NativeEnvironment.mayBringRuntime("/opt/x/libopenblas.so.0"));
        assertTrue(NativeEnvironment.mayBringRuntime("libtorch_cpu.so"));
        assertFalse(NativeEnvironment.mayBringRuntime("zip"));
        assertFalse(NativeEnvironment.mayBringRuntime(LIBJAVA.toString())); // needs libjvm and libc only
        assertFalse(NativeEnvironment.mayBringRuntime(null));
    }
}
