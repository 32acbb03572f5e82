package dev.ferry;

import java.util.Map;

/**
 * What a web endpoint's function returns when it chooses the HTTP status or headers itself (any other return
 * value is answered 200 with the value as JSON):
 *
 * <pre>
 * %%function web="GET /job-status/{call_id}"
 * WebResponse jobStatus(String call_id) {
 *     var call = FunctionCall.fromId(call_id);
 *     ...
 *     return WebResponse.of(202, Map.of("status", "running"));
 * }
 * </pre>
 *
 * It is a record so that it travels in the store's codec from the function's worker to the server: its
 * {@code body} must be a value the codec carries (numbers, strings, booleans, lists, maps, records), and is
 * answered as JSON; a {@code String} body with a {@code Content-Type} header other than JSON is sent as it is.
 *
 * @param status  the HTTP status, 100 to 599
 * @param body    the answer's value (null: no body)
 * @param headers extra response headers
 */
public record WebResponse(int status, Object body, Map<String, String> headers) {
    public WebResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status " + status + " is not between 100 and 599");
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A status and a JSON body. */
    public static WebResponse of(int status, Object body) {
        return new WebResponse(status, body, Map.of());
    }

    /** 200 with a JSON body. */
    public static WebResponse ok(Object body) {
        return of(200, body);
    }

    /** This answer with one more header. */
    public WebResponse header(String name, String value) {
        var h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new WebResponse(status, body, h);
    }
}
