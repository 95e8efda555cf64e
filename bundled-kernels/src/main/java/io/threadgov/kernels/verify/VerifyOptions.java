package io.threadgov.kernels.verify;

import io.threadgov.kernels.Kernels;
import java.nio.file.Files;
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
    /** --html FILE: the results as one self-contained page. */
    Path html;
    /** --from JSON: draw the page from a stored --json output, run nothing. */
    Path from;
    /** The options that make or shape runs, as given (refused with --from, which runs nothing). */
    private final List<String> runOptions = new ArrayList<>();

    /** The options {@code --from} refuses: they shape runs, and with {@code --from} nothing runs. */
    static final List<String> RUN_OPTIONS = List.of("--quick", "--json", "--kernel", "--cores", "--agent",
            "--agent-args", "--confirm", "--work", "--timeout");

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
            if (RUN_OPTIONS.contains(a)) {
                o.runOptions.add(a);
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
                case "--html" -> o.html = file(a, value != null ? value : next(args, ++i, a));
                case "--from" -> o.from = file(a, value != null ? value : next(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        o.checkFiles();
        if (o.kernels.isEmpty()) {
            o.kernels.addAll(Kernels.names());
        }
        return o;
    }

    /** The file checks of --html, --from and --json, once every option is read. */
    private void checkFiles() {
        if (from != null) {
            if (html == null) {
                throw new IllegalArgumentException("--from JSON draws a page from a stored --json output and needs "
                        + "--html FILE (for example: verify --html verify.html --from verify.json)");
            }
            if (!runOptions.isEmpty()) {
                throw new IllegalArgumentException("--from JSON runs nothing and takes only --html FILE; got "
                        + String.join(", ", runOptions) + " (options of a run: " + String.join(", ", RUN_OPTIONS) + ")");
            }
            if (!Files.isRegularFile(from)) {
                throw new IllegalArgumentException("--from takes the JSON file a run wrote with --json FILE; '" + from
                        + "' " + (Files.isDirectory(from) ? "is a directory" : "does not exist"));
            }
            if (same(from, html)) {
                throw new IllegalArgumentException("--html FILE would overwrite its --from input '" + from
                        + "'; name another file for the page");
            }
        }
        if (html != null && Files.isDirectory(html)) {
            throw new IllegalArgumentException("--html takes the page's file name; '" + html + "' is a directory");
        }
        if (html != null && json != null && same(html, json)) {
            throw new IllegalArgumentException("--html and --json name the same file '" + html
                    + "'; the page and the JSON need a file each");
        }
    }

    private static boolean same(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static Path file(String option, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " needs a file name; got '" + value + "'");
        }
        return Path.of(value);
    }

    private static String next(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
