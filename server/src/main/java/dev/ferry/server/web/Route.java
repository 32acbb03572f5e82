package dev.ferry.server.web;

import dev.ferry.proto.v1.AppFunction;
import dev.ferry.remote.worker.MethodSignature;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A function's web endpoint: its method, its path's segments ({@code {name}}: a parameter) and its signature. */
final class Route {
    final String method;
    final String path;
    final List<String> segments;
    final AppFunction function;
    final MethodSignature signature;

    Route(AppFunction f) {
        this.function = f;
        this.method = f.getWeb().getMethod().isBlank() ? "POST" : f.getWeb().getMethod().strip().toUpperCase(Locale.ROOT);
        String p = f.getWeb().getPath().strip();
        this.path = p.startsWith("/") ? p : "/" + p;
        this.segments = split(path);
        MethodSignature parsed = MethodSignature.parse(f.getFunction().getMethodSource(), f.getFunction().getName());
        this.signature = f.getFunction().getParameterTypesCount() == 0 ? parsed
                : new MethodSignature(parsed.returnType(), f.getFunction().getParameterTypesList(), parsed.parameterNames());
        for (String s : segments) {
            if (s.startsWith("{") && s.endsWith("}") && !signature.parameterNames().contains(s.substring(1, s.length() - 1))) {
                throw new IllegalArgumentException("web=\"" + method + " " + path + "\" of " + f.getFunction().getName()
                        + ": the path parameter " + s + " is not a parameter of " + f.getFunction().getName()
                        + signature.describeParameters() + "; name them alike");
            }
        }
    }

    /** "/a/{b}/" → ["a", "{b}"]; each literal segment URL-decoded. */
    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The path parameters when {@code request} (raw segments) matches this route's path, else null. */
    Map<String, String> match(List<String> request) {
        if (request.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            String r = URLDecoder.decode(request.get(i).replace("+", "%2B"), StandardCharsets.UTF_8);
            if (s.startsWith("{") && s.endsWith("}")) {
                params.put(s.substring(1, s.length() - 1), r);
            } else if (!s.equals(r)) {
                return null;
            }
        }
        return params;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
