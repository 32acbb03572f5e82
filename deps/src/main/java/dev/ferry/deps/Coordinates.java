package dev.ferry.deps;


import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;

import java.util.regex.Pattern;

/** Parses and checks Maven coordinates as {@code %maven} accepts them, with errors written for the user. */
public final class Coordinates {
    public static final String FORMS = "group:artifact:version (or group:artifact:extension:version, "
            + "group:artifact:extension:classifier:version), e.g. org.apache.commons:commons-math3:3.6.1";

    /** groupId, artifactId, extension, classifier: Maven's own characters (no spaces, colons or slashes). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.\\-]+");
    /** a version, or a version range such as [1.0,2.0) */
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_.\\-+\\[\\](),]+");

    private Coordinates() {
    }

    /** The artifact that {@code text} names; a {@link DependencyException} with the expected form otherwise. */
    public static Artifact parse(String text) {
        String[] p = text.split(":", -1);
        if (p.length < 3 || p.length > 5) {
            throw new DependencyException(DependencyException.Code.INVALID_ARGUMENT, "%maven: malformed coordinates '" + text + "': expected " + FORMS);
        }
        String[] names = p.length == 3 ? new String[] {"group", "artifact", "version"}
                : p.length == 4 ? new String[] {"group", "artifact", "extension", "version"}
                : new String[] {"group", "artifact", "extension", "classifier", "version"};
        for (int i = 0; i < p.length; i++) {
            boolean last = i == p.length - 1;
            if (p[i].isEmpty()) {
                throw new DependencyException(DependencyException.Code.INVALID_ARGUMENT, "%maven: malformed coordinates '" + text + "': the " + names[i]
                        + " is empty; expected " + FORMS);
            }
            if (!(last ? VERSION : ID).matcher(p[i]).matches()) {
                throw new DependencyException(DependencyException.Code.INVALID_ARGUMENT, "%maven: malformed coordinates '" + text + "': '" + p[i]
                        + "' is not a valid " + names[i] + "; expected " + FORMS);
            }
        }
        try {
            return new DefaultArtifact(text);
        } catch (IllegalArgumentException e) {
            throw new DependencyException(DependencyException.Code.INVALID_ARGUMENT, "%maven: malformed coordinates '" + text + "': expected " + FORMS);
        }
    }

    /** True when the version needs a look at remote metadata (a range, a SNAPSHOT, LATEST or RELEASE). */
    public static boolean isDynamic(Artifact a) {
        String v = a.getVersion();
        return v.endsWith("SNAPSHOT") || v.equals("LATEST") || v.equals("RELEASE")
                || v.startsWith("[") || v.startsWith("(");
    }

    /** {@code g:a:v}, with the extension and classifier only when they are not the defaults. */
    public static String text(Artifact a) {
        StringBuilder b = new StringBuilder(a.getGroupId()).append(':').append(a.getArtifactId());
        if (!a.getClassifier().isEmpty()) {
            b.append(':').append(a.getExtension()).append(':').append(a.getClassifier());
        } else if (!"jar".equals(a.getExtension())) {
            b.append(':').append(a.getExtension());
        }
        return b.append(':').append(a.getVersion()).toString();
    }
}
