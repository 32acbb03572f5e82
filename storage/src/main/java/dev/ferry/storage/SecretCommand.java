package dev.ferry.storage;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ferry-secret}: stored secrets from a terminal, so values never go into a notebook. Values are read
 * from the environment variable of the same name, else typed at a hidden prompt (or one line each from
 * standard input when there is no terminal); never from the command line, where other users could see them.
 *
 * <pre>
 * ferry-secret create NAME KEY [KEY...] [--overwrite]   values from $KEY, else prompted
 * ferry-secret create NAME --from-dotenv FILE [--overwrite]
 * ferry-secret list
 * ferry-secret delete NAME
 * </pre>
 */
public final class SecretCommand {
    static final String USAGE = """
            usage: ferry-secret create NAME KEY [KEY...] [--overwrite]   (values from $KEY, else prompted, hidden)
                   ferry-secret create NAME --from-dotenv FILE [--overwrite]
                   ferry-secret list
                   ferry-secret delete NAME
            Secrets are files <config dir>/secrets/NAME.env with mode 0600 (config dir: FERRY_CONFIG_DIR, else
            $XDG_CONFIG_HOME/ferry or ~/.config/ferry). Use them with Secret.fromName("NAME") or %%remote secrets=NAME.""";

    private SecretCommand() {}

    public static void main(String[] args) {
        System.exit(run(List.of(args), dev.ferry.spi.FerryEnv.ofProcess().env(), System.out, System.err, System.console(),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))));
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err, Console console,
                   BufferedReader stdin) {
        try {
            if (args.isEmpty() || args.contains("-h") || args.contains("--help")) {
                out.println(USAGE);
                return args.isEmpty() ? 2 : 0;
            }
            switch (args.get(0)) {
                case "list" -> FileSecret.list().forEach(out::println);
                case "delete" -> {
                    need(args, 2, "delete NAME");
                    out.println(FileSecret.delete(args.get(1)) ? "deleted secret '" + args.get(1) + "'"
                            : "no secret named '" + args.get(1) + "'");
                }
                case "create" -> {
                    need(args, 3, "create NAME KEY [KEY...] or create NAME --from-dotenv FILE");
                    boolean overwrite = args.contains("--overwrite");
                    List<String> rest = args.subList(2, args.size()).stream().filter(a -> !a.equals("--overwrite")).toList();
                    Map<String, String> values;
                    if (rest.get(0).equals("--from-dotenv")) {
                        need(rest, 2, "create NAME --from-dotenv FILE");
                        values = FileSecret.fromDotenv(Path.of(rest.get(1))).asEnv();
                    } else {
                        values = new LinkedHashMap<>();
                        for (String key : rest) {
                            values.put(key, value(key, env, console, stdin, err));
                        }
                    }
                    FileSecret s = FileSecret.create(args.get(1), values, overwrite);
                    out.println("stored " + s + " (mode 0600)");
                }
                default -> throw new IllegalArgumentException("unknown command '" + args.get(0) + "'");
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("ferry-secret: " + e.getMessage());
            if (e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).startsWith("unknown command")) {
                err.println(USAGE);
            }
            return 1;
        }
    }

    private static void need(List<String> args, int n, String form) {
        if (args.size() < n) {
            throw new IllegalArgumentException("missing arguments: ferry-secret " + form);
        }
    }

    private static String value(String key, Map<String, String> env, Console console, BufferedReader stdin,
                                PrintStream err) {
        String v = env.get(key);
        if (v != null) {
            return v;
        }
        if (console != null) {
            char[] typed = console.readPassword("%s (hidden): ", key);
            if (typed == null) {
                throw new IllegalArgumentException("no value for " + key + " (end of input)");
            }
            String s = new String(typed);
            Arrays.fill(typed, ' ');
            return s;
        }
        try {
            String line = stdin.readLine();
            if (line == null) {
                throw new IllegalArgumentException("no value for " + key + ": set $" + key + ", or give it on standard input");
            }
            return line;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the value of " + key + ": " + e.getMessage());
        }
    }
}
