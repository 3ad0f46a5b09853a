package dev.cirrus.computecontainer.runtime;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference as the Docker engine reads it: {@code [registry[:port]/]path[:tag][@digest]}, where each path
 * component is lower-case letters and digits joined by {@code .}, {@code _}, {@code __} or dashes, a tag is
 * {@code [\w][\w.-]{0,127}}, and the first component is a registry when it has a dot or a port or is
 * {@code localhost}. Examples: {@code busybox} (no registry: the engine's default, tag {@code latest}),
 * {@code cirrus/busybox:test}, {@code myregistry.example:5000/team/app:1.2}. {@code Busybox} or {@code app:} are not
 * references: the engine would refuse them.
 *
 * @param registry the registry host (with its port), or null for the engine's default registry
 * @param repository the path without registry
 * @param tag      the tag, or null (with a digest, or the engine's {@code latest})
 * @param digest   {@code sha256:…}, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
                    + "(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}");

    /** The reference, or empty when the engine would refuse it. */
    public static Optional<ImageReference> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 255 * 2) {
            return Optional.empty();
        }
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                return Optional.empty();
            }
        }
        String registry = null;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")
                    || !first.equals(first.toLowerCase(Locale.ROOT))) {
                if (!DOMAIN.matcher(first).matches()) {
                    return Optional.empty();
                }
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                return Optional.empty();
            }
        }
        if (rest.length() > 255 || !PATH.matcher(rest).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ImageReference(registry, rest, tag, digest));
    }

    /** What the engine pulls: the repository with its registry, without tag or digest. */
    public String repositoryWithRegistry() {
        return registry == null ? repository : registry + "/" + repository;
    }

    /** The tag to pull: the given one, or {@code latest} without tag and digest. */
    public String tagOrLatest() {
        return tag != null ? tag : digest != null ? null : "latest";
    }
}
