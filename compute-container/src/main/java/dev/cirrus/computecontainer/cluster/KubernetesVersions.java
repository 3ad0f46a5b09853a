package dev.cirrus.computecontainer.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.plumbing.arm.ArmException;

/**
 * The Kubernetes versions clusters may run ({@code cirrus.compute-container.kubernetes-versions}) and Azure's rules
 * between them: a version is given as {@code major.minor.patch} or {@code major.minor} (the newest patch of that
 * minor); an upgrade goes to a newer version, at most one minor version up; a downgrade is refused.
 */
public final class KubernetesVersions {

    private static final Pattern VERSION = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})(?:\\.(\\d{1,3}))?");

    /** A parsed version; {@code patch} is -1 for {@code major.minor}. */
    public record Version(int major, int minor, int patch) implements Comparable<Version> {
        @Override
        public int compareTo(Version o) {
            return Comparator.comparingInt(Version::major).thenComparingInt(Version::minor)
                    .thenComparingInt(Version::patch).compare(this, o);
        }

        String minorText() {
            return major + "." + minor;
        }

        @Override
        public String toString() {
            return patch < 0 ? minorText() : minorText() + "." + patch;
        }
    }

    private final List<Version> versions;
    private final String defaultVersion;

    public KubernetesVersions(List<String> versions, String defaultVersion) {
        this.versions = versions.stream().map(KubernetesVersions::parse).sorted().toList();
        this.defaultVersion = defaultVersion;
    }

    /** The version, or null when it is not {@code major.minor[.patch]}. */
    public static Version parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = VERSION.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        return new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? -1 : Integer.parseInt(m.group(3)));
    }

    public String defaultVersion() {
        return defaultVersion;
    }

    /** Every supported version, oldest first. */
    public List<Version> all() {
        return versions;
    }

    /**
     * The supported full version {@code given} names (a {@code major.minor} is its newest patch), or 400
     * {@code code} ({@code K8sVersionNotSupported} for a cluster, {@code AgentPoolK8sVersionNotSupported} for a pool).
     */
    public String resolve(String given, String code, String target) {
        Version v = parse(given);
        if (v != null) {
            for (int i = versions.size() - 1; i >= 0; i--) {
                Version s = versions.get(i);
                if (s.major() == v.major() && s.minor() == v.minor() && (v.patch() < 0 || s.patch() == v.patch())) {
                    return s.toString();
                }
            }
        }
        throw ArmException.badRequest(code, "Version " + printable(given) + " is not supported in this region. "
                + "Please use [az aks get-versions] command to get the supported version list in this region. "
                + "Supported versions: " + versions.stream().map(Version::toString).toList() + ".", target);
    }

    /** The versions {@code from} may be upgraded to: newer, at most one minor version up. */
    public List<String> upgrades(String from) {
        Version f = parse(from);
        List<String> out = new ArrayList<>();
        for (Version v : versions) {
            if (v.compareTo(f) > 0 && v.major() == f.major() && v.minor() <= f.minor() + 1) {
                out.add(v.toString());
            }
        }
        return out;
    }

    /**
     * Refuses (400 {@code OperationNotAllowed}) a change from {@code from} to {@code to} that Azure refuses: a
     * downgrade, or a skipped minor version. No change passes.
     */
    public void checkChange(String from, String to, String target) {
        if (from.equals(to)) {
            return;
        }
        Version f = parse(from);
        Version t = parse(to);
        if (t.compareTo(f) < 0) {
            throw ArmException.badRequest("OperationNotAllowed", "Downgrading Kubernetes version " + from + " to " + to
                    + " is not allowed. Available upgrades: " + upgrades(from) + ".", target);
        }
        if (!upgrades(from).contains(to)) {
            throw ArmException.badRequest("OperationNotAllowed", "Upgrading Kubernetes version " + from + " to " + to
                    + " is not allowed: a minor version cannot be skipped. Available upgrades: " + upgrades(from) + ".",
                    target);
        }
    }

    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        String t = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return t.chars().anyMatch(Character::isISOControl) ? t.replaceAll("\\p{Cntrl}", "?") : t;
    }
}
