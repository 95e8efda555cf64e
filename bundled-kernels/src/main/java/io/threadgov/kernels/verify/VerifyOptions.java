package io.threadgov.kernels.verify;

import io.threadgov.kernels.Kernels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command-line options of {@code verify}. */
final class VerifyOptions {
    boolean quick;
    Path json;
    final List<String> kernels = new ArrayList<>();
    Integer cores;
    Path agent;
    Path work;
    Long timeoutSeconds;
    String agentArgs;
    Integer confirm;

    static VerifyOptions parse(String[] args) {
        VerifyOptions o = new VerifyOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--quick" -> o.quick = true;
                case "--json" -> o.json = Path.of(value != null ? value : next(args, ++i, a));
                case "--kernel" -> {
                    for (String k : (value != null ? value : next(args, ++i, a)).split(",")) {
                        if (!k.isBlank()) {
                            if (!Kernels.names().contains(k.trim())) {
                                throw new IllegalArgumentException("unknown kernel '" + k.trim() + "'; known: " + Kernels.names());
                            }
                            o.kernels.add(k.trim());
                        }
                    }
                }
                case "--cores" -> {
                    o.cores = Integer.parseInt(value != null ? value : next(args, ++i, a));
                    if (o.cores < 1) {
                        throw new IllegalArgumentException("--cores must be >= 1");
                    }
                }
                case "--agent" -> o.agent = Path.of(value != null ? value : next(args, ++i, a));
                case "--agent-args" -> {
                    o.agentArgs = value != null ? value : next(args, ++i, a);
                    if (o.agentArgs.isBlank() || o.agentArgs.contains(" ")) {
                        throw new IllegalArgumentException("--agent-args takes the agent's options as one word, "
                                + "key=value,key=value (for example pools=all); got '" + o.agentArgs + "'");
                    }
                }
                case "--confirm" -> {
                    String v = value != null ? value : next(args, ++i, a);
                    try {
                        o.confirm = Integer.parseInt(v.trim());
                    } catch (NumberFormatException e) {
                        o.confirm = -1;
                    }
                    if (o.confirm < 0) {
                        throw new IllegalArgumentException("--confirm takes a number of rounds >= 0; got '" + v + "'");
                    }
                }
                case "--work" -> o.work = Path.of(value != null ? value : next(args, ++i, a));
                case "--timeout" -> o.timeoutSeconds = Long.parseLong(value != null ? value : next(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        if (o.kernels.isEmpty()) {
            o.kernels.addAll(Kernels.names());
        }
        return o;
    }

    private static String next(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
