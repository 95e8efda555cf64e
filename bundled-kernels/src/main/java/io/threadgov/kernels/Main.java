package io.threadgov.kernels;

import io.threadgov.kernels.verify.Verify;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code java -jar threadgov-kernels.jar verify [options]} | {@code run NAME} | {@code list}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            usage();
            System.exit(args.length == 0 ? 2 : 0);
        }
        switch (args[0]) {
            case "list" -> {
                for (Kernel k : Kernels.all()) {
                    System.out.printf("%-20s %s%n", k.name(), k.description());
                }
            }
            case "run" -> {
                if (args.length != 2) {
                    System.err.println("usage: run NAME   (one of " + Kernels.names() + ")");
                    System.exit(2);
                }
                Optional<Kernel> k = Kernels.byName(args[1]);
                if (k.isEmpty()) {
                    System.err.println("unknown kernel '" + args[1] + "'; known: " + Kernels.names());
                    System.exit(2);
                }
                int rc = KernelRunner.run(k.get(), System.out);
                System.out.flush();
                // exit (not return): a stray non-daemon pool thread must not keep a finished run alive;
                // shutdown hooks still run (an agent writes its report there)
                System.exit(rc);
            }
            case "verify" -> System.exit(Verify.main(Arrays.copyOfRange(args, 1, args.length)));
            default -> {
                System.err.println("unknown command '" + args[0] + "'");
                usage();
                System.exit(2);
            }
        }
    }

    static void usage() {
        System.err.println("""
                threadgov reference kernels: ordinary applications that nest parallelism.

                  java -jar threadgov-kernels.jar verify [--quick] [--kernel NAME[,NAME]]... [--cores N]
                                                         [--agent PATH] [--agent-args K=V,...] [--json FILE]
                                                         [--html FILE] [--work DIR] [--timeout S] [--confirm N]
                      runs every kernel in child JVMs without the agent, with the agent and at the best
                      static setting of a small grid; checks checksums; prints a table; --json FILE writes
                      the results as JSON, --html FILE as one self-contained page (inline SVG charts).
                  java -jar threadgov-kernels.jar verify --html FILE --from JSON
                      draws the page from a stored --json output; runs nothing (no other option).
                  java [-javaagent:threadgov-agent.jar] [-Dkernel.outer=N] [-Dkernel.inner=N] [-Dkernel.size=N]
                       [-Dkernel.tasks=N] [-Dkernel.quick=true] [-Dkernel.reps=N] [-Dkernel.warmup=N]
                       -jar threadgov-kernels.jar run NAME
                      runs one kernel in this JVM (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and
                      -Djava.util.concurrent.ForkJoinPool.common.parallelism apply as usual).
                  java -jar threadgov-kernels.jar list
                """);
    }
}
