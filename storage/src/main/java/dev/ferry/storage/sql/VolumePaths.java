package dev.ferry.storage.sql;

import dev.ferry.Volume;
import dev.ferry.storage.DirVolume;

/**
 * Rewrites {@code 'vol:NAME/path'} string literals in a SQL statement to the volume file's absolute path,
 * for DuckDB. Only whole single-quoted literals starting with {@code vol:} are rewritten; comments, double
 * quoted identifiers and other strings are left alone.
 */
final class VolumePaths {
    static final String PREFIX = "vol:";

    private VolumePaths() {
    }

    static String rewrite(String sql) {
        if (!sql.contains("'" + PREFIX)) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length() + 64);
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (c == '"') {
                int end = sql.indexOf('"', i + 1);
                end = end < 0 ? n : end + 1;
                out.append(sql, i, end);
                i = end;
            } else if (c == '\'') {
                StringBuilder lit = new StringBuilder();
                int j = i + 1;
                while (j < n) {
                    char d = sql.charAt(j);
                    if (d == '\'') {
                        if (j + 1 < n && sql.charAt(j + 1) == '\'') {
                            lit.append('\'');
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    lit.append(d);
                    j++;
                }
                int end = Math.min(j + 1, n);
                String value = lit.toString();
                if (j < n && value.startsWith(PREFIX)) {
                    out.append('\'').append(resolve(value).replace("'", "''")).append('\'');
                } else {
                    out.append(sql, i, end);
                }
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** {@code vol:NAME/path} to the absolute local path; an unknown volume or escaping path is an error. */
    static String resolve(String ref) {
        String rest = ref.substring(PREFIX.length());
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("'" + ref + "': write vol:NAME/path/file.parquet");
        }
        Volume v = DirVolume.fromName(name, false);
        java.nio.file.Path file = v.resolve(path);
        if (!file.equals(v.path()) && !java.nio.file.Files.exists(file.getParent())) {
            try { // so that COPY ... TO 'vol:ds/new/dir/t.parquet' works
                java.nio.file.Files.createDirectories(file.getParent());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return file.toString();
    }
}
