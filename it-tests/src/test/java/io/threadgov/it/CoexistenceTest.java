package io.threadgov.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.apps.NestedPoolsApp;
import io.threadgov.it.apps.OwnDepsApp;
import org.junit.jupiter.api.Test;

/** The agent beside the application's own libraries, and on another JDK. */
class CoexistenceTest {

    @Test
    void applicationWithItsOwnByteBuddyAndJnaRunsUnchanged() throws Exception {
        String bb = ChildJvm.jarOnTestClasspath("byte-buddy-1.14");
        String jna = ChildJvm.jarOnTestClasspath("jna-5.13");
        ChildJvm.Result plain = ChildJvm.app(OwnDepsApp.class).classpath(bb).classpath(jna).run();
        assertEquals(0, plain.exit, plain::toString);
        ChildJvm.Result r = ChildJvm.app(OwnDepsApp.class).classpath(bb).classpath(jna).agent("cores=2").run();
        assertEquals(0, r.exit, r::toString);
        assertEquals("made by app bytebuddy", r.value("bytebuddy"));
        assertEquals("byte-buddy-1.14.18.jar", r.value("bytebuddy.jar"), "the app's own ByteBuddy is used");
        assertEquals("true", r.value("pid.match"));
        assertEquals(plain.value("jna.version"), r.value("jna.version"), "the app's own JNA is used");
        assertNotEquals("5.17.0", r.value("jna.version"));
        assertEquals("1", r.value("nested"), "and the agent still governs: " + r);
        assertTrue(r.agentLines().isEmpty(), r::toString);
    }

    /** Temurin 25 ({@link ChildJvm#java25()}): a failure where CI is set and it is missing, else skipped. */
    @Test
    void governsOnJdk25() throws Exception {
        String java25 = ChildJvm.java25();
        ChildJvm.Result plain = ChildJvm.app(NestedPoolsApp.class).java(java25).run();
        ChildJvm.Result r = ChildJvm.app(NestedPoolsApp.class).java(java25).agent("cores=2").run();
        assertEquals(0, r.exit, r::toString);
        for (int i = 0; i < 4; i++) {
            assertEquals("1,1,1/1", r.value("task" + i), r::toString);
        }
        assertEquals("4", r.value("outer"));
        assertEquals(plain.value("checksum"), r.value("checksum"));
        assertTrue(r.agentLines().isEmpty(), r::toString);
    }
}
