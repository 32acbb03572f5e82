package dev.ferry.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.ferry.kernel.wire.Wire;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;

/** The kernel_info_reply content. */
final class KernelInfo {
    static final String VERSION = "0.1.0";

    private KernelInfo() {}

    static JsonObject content() {
        LanguageInfo li = new LanguageInfo("java", Runtime.version().toString(), "text/x-java", ".jshell", "java", "java", null);
        JsonObject lang = new JsonObject();
        lang.addProperty("name", li.getName());
        lang.addProperty("version", li.getVersion());
        lang.addProperty("mimetype", li.getMimetype());
        lang.addProperty("file_extension", li.getFileExtension());
        lang.addProperty("pygments_lexer", li.getPygmentsLexer());
        lang.addProperty("codemirror_mode", (String) li.getCodemirrorMode());
        JsonObject c = new JsonObject();
        c.addProperty("status", "ok");
        c.addProperty("protocol_version", Wire.PROTOCOL_VERSION);
        c.addProperty("implementation", "ferry");
        c.addProperty("implementation_version", VERSION);
        c.add("language_info", lang);
        c.addProperty("banner", "Ferry " + VERSION + " - Java " + Runtime.version() + " on JShell");
        c.addProperty("debugger", false);
        JsonArray links = new JsonArray();
        links.add(link("Java SE API", "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/"));
        links.add(link("JShell guide", "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/jshell/"));
        c.add("help_links", links);
        return c;
    }

    private static JsonObject link(String text, String url) {
        JsonObject o = new JsonObject();
        o.addProperty("text", text);
        o.addProperty("url", url);
        return o;
    }
}
