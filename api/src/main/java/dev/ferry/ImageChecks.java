package dev.ferry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** The checks of {@link Image}'s builder arguments, and the quoting of what they render. */
final class ImageChecks {
    private static final Pattern APT_NAME = Pattern.compile(
            "[a-z0-9][a-z0-9+.-]+(?::[a-z0-9][a-z0-9-]*)?(?:=[A-Za-z0-9.+~:-]+)?");
    private static final Pattern MAVEN_PART = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern PIP_REQ = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\\[[A-Za-z0-9._,-]+\\])?"
                    + "(?:\\s*(?:===|==|!=|~=|<=|>=|<|>)\\s*[A-Za-z0-9.*+!_-]+"
                    + "(?:\\s*,\\s*(?:===|==|!=|~=|<=|>=|<|>)\\s*[A-Za-z0-9.*+!_-]+)*)?");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern IMAGE_REF = Pattern.compile(
            "(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?"
                    + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./+@%:=,-]+");

    private ImageChecks() {}

    static void imageRef(String name) {
        if (!IMAGE_REF.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid image reference '" + name
                    + "': expected [registry[:port]/]repository[:tag][@sha256:digest] with a lowercase repository");
        }
    }

    static List<String> aptPackages(String... packages) {
        List<String> pkgs = nonEmpty("aptInstall", packages);
        for (String p : pkgs) {
            if (!APT_NAME.matcher(p).matches()) {
                throw new IllegalArgumentException("invalid Debian package name '" + p + "': a name is lowercase "
                        + "letters, digits, '+', '-' and '.', at least 2 characters, starting with a letter or digit "
                        + "(optionally ':arch' and '=version')");
            }
        }
        return pkgs;
    }

    static List<String> mavenCoordinates(String... coordinates) {
        List<String> coords = nonEmpty("mavenInstall", coordinates);
        for (String c : coords) {
            String[] parts = c.split(":", -1);
            boolean ok = parts.length >= 3 && parts.length <= 5;
            for (String part : parts) ok &= MAVEN_PART.matcher(part).matches();
            if (!ok) {
                throw new IllegalArgumentException("invalid Maven coordinates '" + c
                        + "': expected groupId:artifactId:version (or groupId:artifactId:extension[:classifier]:version),"
                        + " each part letters, digits, '_', '.' or '-' (no version ranges)");
            }
        }
        return coords;
    }

    static List<String> pipRequirements(String... packages) {
        List<String> pkgs = nonEmpty("pipInstall", packages);
        for (String p : pkgs) {
            if (!PIP_REQ.matcher(p).matches()) {
                throw new IllegalArgumentException("invalid pip requirement '" + p
                        + "': expected a PyPI name with optional [extras] and version specifiers, e.g. 'numpy==1.26.4'");
            }
        }
        return pkgs;
    }

    /** Escapes a value for a double-quoted Dockerfile ENV value: {@code \ " $}. */
    static String envEscape(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 8);
        for (char ch : v.toCharArray()) {
            if (ch == '\\' || ch == '"' || ch == '$') sb.append('\\');
            sb.append(ch);
        }
        return sb.toString();
    }

    static List<String> nonEmpty(String what, String... items) {
        Objects.requireNonNull(items, what);
        if (items.length == 0) throw new IllegalArgumentException(what + ": nothing given");
        for (String s : items) if (s == null) throw new IllegalArgumentException(what + ": null argument");
        return List.of(items);
    }

    static Path existingLocal(Path local) {
        Objects.requireNonNull(local, "local");
        Path abs = local.toAbsolutePath().normalize();
        if (!Files.exists(abs)) throw new IllegalArgumentException("local path does not exist: " + abs);
        return abs;
    }

    static String absoluteRemote(String what, String path) {
        Objects.requireNonNull(path, what);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(what + ": path must be absolute (start with '/'), got '" + path + "'");
        }
        if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0 || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + ": path contains a line break or NUL: " + abbreviate(path));
        }
        return path;
    }

    static String shellQuote(String s) {
        if (SHELL_SAFE.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String abbreviate(String s) {
        String one = s.replace("\n", "\\n");
        return one.length() > 60 ? one.substring(0, 57) + "..." : one;
    }
}
