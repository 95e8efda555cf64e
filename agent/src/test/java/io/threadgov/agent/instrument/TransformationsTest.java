package io.threadgov.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transformer's list of names, kept apart so that registering loads neither ASM nor the instrumenters. */
class TransformationsTest {

    @Test
    void theTransformerNamesExactlyTheClassesTheInstrumentersRewrite() {
        Set<String> named = new HashSet<>();
        for (Instrumenter i : Rewriter.all()) {
            named.addAll(i.classNames());
        }
        assertEquals(named, Transformations.NAMES);
    }
}
