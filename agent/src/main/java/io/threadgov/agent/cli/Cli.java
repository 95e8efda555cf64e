package io.threadgov.agent.cli;

import io.threadgov.governor.Json;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar threadgov-agent.jar COMMAND}: {@code info [--json]}, {@code info PID [--json]},
 * {@code attach PID [key=value,...]}. Exit status 0 on success, 1 when the command failed (the message says
 * why), 2 on a usage error.
 */
public final class Cli {

    static final String USAGE = String.join("\n",
            "usage: java -jar threadgov-agent.jar COMMAND",
            "  info [--json]                 what the agent would see in a JVM like this one",
            "  info PID [--json]             the live report of running JVM PID (it must have the agent)",
            "  attach PID [key=value,...]    load the agent into running JVM PID (keys: cores, mode, pools,",
            "                                native, report, log; as after -javaagent:threadgov-agent.jar=)");

    private Cli() {
    }

    public static void main(String[] args) {
        int rc = run(args, System.out, System.err);
        System.out.flush();
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /** Runs one command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> a = new ArrayList<>(List.of(args));
        if (a.isEmpty() || a.contains("-h") || a.contains("--help") || a.get(0).equals("help")) {
            (a.isEmpty() ? err : out).println(USAGE);
            return a.isEmpty() ? 2 : 0;
        }
        String command = a.remove(0);
        try {
            switch (command) {
                case "info": {
                    boolean json = a.remove("--json");
                    if (a.isEmpty()) {
                        java.util.Map<String, Object> m = LocalInfo.collect();
                        out.print(json ? Json.write(m) + "\n" : InfoText.local(m));
                        return 0;
                    }
                    if (a.size() > 1) {
                        return usage(err, "info takes one PID, got " + a);
                    }
                    long pid = pid(a.get(0));
                    out.print(Attacher.report(pid, json));
                    return 0;
                }
                case "attach": {
                    if (a.isEmpty() || a.size() > 2) {
                        return usage(err, "attach takes a PID and optionally key=value,...");
                    }
                    long pid = pid(a.get(0));
                    String agentArgs = a.size() == 2 ? a.get(1) : "";
                    out.print(Attacher.attach(pid, agentArgs));
                    return 0;
                }
                default:
                    return usage(err, "unknown command '" + command + "'");
            }
        } catch (UsageException e) {
            return usage(err, e.getMessage());
        } catch (CliException e) {
            err.println("threadgov: " + e.getMessage());
            return 1;
        }
    }

    private static long pid(String s) {
        try {
            long p = Long.parseLong(s);
            if (p <= 0) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new UsageException("'" + s + "' is not a process id (a positive integer)");
        }
    }

    private static int usage(PrintStream err, String msg) {
        err.println("threadgov: " + msg);
        err.println(USAGE);
        return 2;
    }

    /** A command failed for a reason the user can act on: the message says which. */
    static final class CliException extends RuntimeException {
        CliException(String msg) {
            super(msg);
        }

        CliException(String msg, Throwable cause) {
            super(msg, cause);
        }
    }

    /** The command line is wrong: exit 2 with the usage text. */
    static final class UsageException extends RuntimeException {
        UsageException(String msg) {
            super(msg);
        }
    }
}
