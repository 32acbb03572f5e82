package dev.ferry.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The implementation of {@link dev.ferry.Secret} (the user type, in module api; {@link LocalStorage} hands it out).
 *
 * <p>Named key/value secrets. Stored as {@code <configDir>/secrets/<name>.env} (mode 0600, directory 0700).
 * Values never appear in {@link #toString()} or in error messages.
 */
public final class FileSecret implements dev.ferry.Secret {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String name;
    private final Map<String, String> values;

    private FileSecret(String name, Map<String, String> values) {
        this.name = name;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException("invalid secret name " + (name == null ? "null" : "'" + name + "'")
                    + ": use 1 to 64 characters from A-Z a-z 0-9 . _ - (not starting with '.')");
        }
        return name;
    }

    static Path fileOf(String name) {
        return FerryDirs.secretsDir().resolve(checkName(name) + ".env");
    }

    /** Reads the stored secret {@code name}. */
    public static FileSecret fromName(String name) {
        Path file = fileOf(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Secret '" + name + "' does not exist: no file " + file
                    + "; create it with Secret.create(\"" + name + "\", Map.of(\"KEY\", \"value\")) or write KEY=VALUE"
                    + " lines to that file (chmod 600)");
        }
        return new FileSecret(name, parseFile(file));
    }

    public static FileSecret create(String name, Map<String, String> values) {
        return create(name, values, false);
    }

    /** Stores a secret (file mode 0600, directory 0700); refuses to overwrite unless {@code overwrite}. */
    public static FileSecret create(String name, Map<String, String> values, boolean overwrite) {
        Path file = fileOf(name);
        Map<String, String> copy = checkValues(values);
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            if (!overwrite && Files.exists(file)) {
                throw new IllegalStateException("Secret '" + name + "' already exists (" + file
                        + "); use Secret.create(name, map, true) to overwrite it");
            }
            Path tmp = Files.createTempFile(dir, "." + name, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                StringBuilder b = new StringBuilder();
                for (Map.Entry<String, String> e : copy.entrySet()) {
                    b.append(e.getKey()).append('=').append(quote(e.getValue())).append('\n');
                }
                Files.writeString(tmp, b.toString(), StandardCharsets.UTF_8);
                if (overwrite) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    try {
                        Files.createLink(file, tmp); // atomic: fails if another process created it meanwhile
                    } catch (FileAlreadyExistsException e) {
                        throw new IllegalStateException("Secret '" + name + "' already exists (" + file
                                + "); use Secret.create(name, map, true) to overwrite it");
                    } catch (UnsupportedOperationException e) {
                        Files.move(tmp, file);
                    }
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write secret '" + name + "' to " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
        return new FileSecret(name, copy);
    }

    /** An unnamed secret from a map (not stored). */
    public static FileSecret fromMap(Map<String, String> values) {
        return new FileSecret(null, checkValues(values));
    }

    /** Reads KEY=VALUE lines from a dotenv file ({@code #} comments, {@code export} prefixes, quotes). */
    public static FileSecret fromDotenv(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no dotenv file " + path);
        }
        return new FileSecret(null, parseFile(path));
    }

    public static FileSecret fromDotenv(String path) {
        return fromDotenv(Path.of(path));
    }

    /** The named environment variables of this process; a missing one is an error naming it. */
    public static FileSecret fromEnv(String... names) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            String v = dev.ferry.spi.FerryEnv.current().env(n);
            if (v == null) {
                missing.add(n);
            } else {
                m.put(n, v);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("environment variable" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + " not set in the kernel's environment");
        }
        return new FileSecret(null, m);
    }

    public static boolean delete(String name) {
        try {
            return Files.deleteIfExists(fileOf(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the stored secrets, sorted. */
    public static List<String> list() {
        Path dir = FerryDirs.secretsDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".env"))
                    .map(n -> n.substring(0, n.length() - 4)).filter(n -> NAME.matcher(n).matches()
                            && !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The secret's name, or null for one made by fromMap/fromDotenv/fromEnv. */
    public String name() {
        return name;
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException(describe() + " has no key '" + key + "'; keys: " + keys());
        }
        return v;
    }

    public Set<String> keys() {
        return values.keySet();
    }

    /** The values as environment variables for engines and processes. */
    public Map<String, String> asEnv() {
        return values;
    }

    private String describe() {
        return name == null ? "secret" : "secret '" + name + "'";
    }

    @Override
    public String toString() {
        return "Secret[" + (name == null ? "" : "name=" + name + ", ") + "keys=" + keys() + ", values hidden]";
    }

    // ---------------------------------------------------------------------------------------------

    private static Map<String, String> checkValues(Map<String, String> values) {
        if (values == null) {
            throw new IllegalArgumentException("secret values are null");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey() == null || !KEY.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("invalid secret key " + e.getKey()
                        + ": use letters, digits and _, not starting with a digit");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("secret key " + e.getKey() + " has a null value");
            }
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static String quote(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }

    private static Map<String, String> parseFile(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no file " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getClass().getSimpleName(), null);
        }
    }

    /** Parses dotenv text. Errors name the line number, never its content. */
    static Map<String, String> parse(String text, String source) {
        Map<String, String> m = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (eq < 0 || !KEY.matcher(key).matches()) {
                throw new IllegalArgumentException(source + " line " + (i + 1)
                        + ": expected KEY=VALUE (the line is not shown)");
            }
            String raw = line.substring(eq + 1).strip();
            String value;
            if (raw.startsWith("\"")) {
                StringBuilder b = new StringBuilder();
                int j = 1;
                boolean closed = false;
                for (; j < raw.length(); j++) {
                    char c = raw.charAt(j);
                    if (c == '\\' && j + 1 < raw.length()) {
                        char n = raw.charAt(++j);
                        b.append(switch (n) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            default -> n;
                        });
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        b.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException(source + " line " + (i + 1)
                            + ": unterminated double quote in the value of " + key);
                }
                value = b.toString();
            } else if (raw.startsWith("'")) {
                int end = raw.indexOf('\'', 1);
                if (end < 0) {
                    throw new IllegalArgumentException(source + " line " + (i + 1)
                            + ": unterminated single quote in the value of " + key);
                }
                value = raw.substring(1, end);
            } else {
                int hash = raw.indexOf(" #");
                value = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            }
            m.put(key, value);
        }
        return m;
    }
}
