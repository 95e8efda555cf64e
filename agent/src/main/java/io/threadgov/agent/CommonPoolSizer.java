package io.threadgov.agent;

import io.threadgov.governor.Config;
import io.threadgov.governor.Log;
import io.threadgov.governor.SharePolicy;
import java.lang.reflect.Method;
import java.util.concurrent.ForkJoinPool;

/**
 * Sizes the common pool to {@link SharePolicy#commonPoolParallelism}. On JDK 17 only the system property can
 * do it, before the pool exists; where the pool exists already and the JDK has {@code setParallelism} (19+),
 * that is used instead. An application that set the property itself keeps its value.
 */
final class CommonPoolSizer {

    static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPoolSizer() {
    }

    static void apply(Config config) {
        int target = SharePolicy.commonPoolParallelism(config.pools(), config.budget());
        if (target < 1 || System.getProperty(PROPERTY) != null) {
            return;
        }
        System.setProperty(PROPERTY, Integer.toString(target));
        if (Runtime.version().feature() < 19) {
            return; // the property is read when the pool is first used; nothing else can change it on 17
        }
        ForkJoinPool common = ForkJoinPool.commonPool();
        if (common.getParallelism() != target) {
            try {
                Method m = ForkJoinPool.class.getMethod("setParallelism", int.class);
                m.invoke(common, target);
            } catch (NoSuchMethodException e) {
                Log.info("the common pool existed before the agent started; its parallelism stays "
                        + common.getParallelism());
            } catch (ReflectiveOperationException | RuntimeException e) {
                Log.failure("common pool", e);
            }
        }
    }
}
