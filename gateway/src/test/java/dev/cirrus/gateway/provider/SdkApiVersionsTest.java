package dev.cirrus.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cirrus.gateway.support.NodeScript;
import org.junit.jupiter.api.Test;

/**
 * Every api-version the official SDKs the test suite installs send for a type Cirrus serves is accepted for that type:
 * the versions are read out of the packages themselves (the Java SDK's classes on the test class path, the
 * JavaScript packages of {@code src/test/node/package.json}), not copied by hand. What maps a package to a namespace
 * and an operation group to a resource type is below; a group of a type Cirrus does not serve (disks, galleries, …)
 * is not checked.
 */
class SdkApiVersionsTest {

    private static final Pattern VERSION = Pattern.compile("20\\d\\d-\\d\\d-\\d\\d(-preview)?");
    private static final Pattern CLIENT = Pattern.compile("implementation/(\\w+ClientImpl)");
    private static final Pattern JAR = Pattern.compile("azure-resourcemanager-([a-z]+)-[0-9.]+\\.jar");

    /** The Java SDK's artifact (azure-resourcemanager-{name}) and JavaScript package (@azure/arm-{name}) → namespace. */
    private static final Map<String, String> NAMESPACES = Map.of(
            "compute", "Microsoft.Compute",
            "appservice", "Microsoft.Web",
            "resources", "Microsoft.Resources",
            "containerinstance", "Microsoft.ContainerInstance",
            "containerservice", "Microsoft.ContainerService",
            "authorization", "Microsoft.Authorization",
            "monitor", "Microsoft.Insights",
            "consumption", "Microsoft.Consumption",
            "storage", "Microsoft.Storage");

    /** Operation groups whose name is not their type's. */
    private static final Map<String, String> TYPES = Map.of(
            "webapps", "sites",
            "appserviceplans", "serverFarms",
            "virtualmachinesizes", "locations/vmSizes",
            "usages", "locations/usages",
            "usage", "locations/usages",
            "virtualmachineimages", "locations/publishers",
            "resourceskus", "skus");

    private static final ProviderRegistry REGISTRY = ProviderRegistry.defaults();

    record Sent(String sdk, String namespace, String type, String version) {
    }

    @Test
    void everyApiVersionTheJavaSdkSendsForAServedTypeIsAccepted() throws IOException {
        List<Sent> sent = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Matcher jar = JAR.matcher(new File(entry).getName());
            if (jar.matches() && NAMESPACES.containsKey(jar.group(1))) {
                sent.addAll(javaSdk(new File(entry), NAMESPACES.get(jar.group(1))));
            }
        }

        assertAccepted(sent);
        assertThat(sent).extracting(Sent::type).contains("virtualMachines", "availabilitySets", "sites",
                "serverFarms", "resourceGroups", "subscriptions", "containerGroups", "managedClusters", "skus",
                "storageAccounts");
    }

    @Test
    void everyApiVersionTheJavaScriptSdkSendsForAServedTypeIsAccepted() {
        if (!NodeScript.available()) {
            System.out.println("SdkApiVersionsTest: the JavaScript SDK's api-versions are not checked: node or npm "
                    + "is not installed on this machine");
            return;
        }
        NodeScript.Result run = NodeScript.run("sdk-api-versions.js", Map.of(), 600);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<Sent> sent = new ArrayList<>();
        for (String line : run.stdout().split("\n")) {
            String[] f = line.strip().split("\t");
            if (f.length != 3 || !f[0].startsWith("arm-")) {
                continue;
            }
            String namespace = NAMESPACES.get(f[0].substring(4));
            if (namespace != null) {
                type(namespace, f[1]).ifPresent(t -> sent.add(new Sent("@azure/" + f[0], namespace, t, f[2])));
            }
        }

        assertAccepted(sent);
        assertThat(sent).extracting(Sent::type).contains("virtualMachines", "resourceGroups", "skus", "sites",
                "serverFarms");
    }

    private static void assertAccepted(List<Sent> sent) {
        assertThat(sent).as("api-versions found in the SDKs").hasSizeGreaterThanOrEqualTo(8);
        List<Sent> refused = sent.stream().filter(s -> !REGISTRY.accepts(s.namespace(), s.type(), s.version())).toList();
        assertThat(refused).as("api-versions the SDKs send that the registry refuses").isEmpty();
    }

    /** The registry type of an operation group, if Cirrus serves it. */
    private static Optional<String> type(String namespace, String group) {
        String name = TYPES.getOrDefault(group.toLowerCase(Locale.ROOT), group);
        return REGISTRY.type(namespace, name).map(ProviderRegistry.ResourceType::name);
    }

    /**
     * The api-versions in the operation-group classes ({@code implementation/*ClientImpl}) of one management jar: the
     * string constants of the class and its inner classes; for a group that names none, its client's (the other
     * {@code *ClientImpl} it refers to, e.g. {@code ResourceManagementClientImpl}).
     */
    private static List<Sent> javaSdk(File file, String namespace) throws IOException {
        Map<String, String> classText = new HashMap<>();
        try (JarFile jar = new JarFile(file)) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                String name = e.getName();
                if (name.contains("/implementation/") && name.endsWith(".class")) {
                    String outer = name.substring(name.lastIndexOf('/') + 1, name.length() - ".class".length());
                    outer = outer.contains("$") ? outer.substring(0, outer.indexOf('$')) : outer;
                    try {
                        classText.merge(outer, new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.ISO_8859_1),
                                String::concat);
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                }
            }
        }
        List<Sent> sent = new ArrayList<>();
        String sdk = file.getName();
        classText.forEach((className, text) -> {
            if (!className.endsWith("ClientImpl")) {
                return;
            }
            Optional<String> type = type(namespace, className.substring(0, className.length() - "ClientImpl".length()));
            if (type.isEmpty()) {
                return;
            }
            Set<String> versions = versions(text);
            if (versions.isEmpty()) {
                Matcher clients = CLIENT.matcher(text);
                while (clients.find()) {
                    if (!clients.group(1).equals(className) && classText.containsKey(clients.group(1))) {
                        versions.addAll(versions(classText.get(clients.group(1))));
                    }
                }
            }
            versions.forEach(v -> sent.add(new Sent(sdk + " " + className, namespace, type.get(), v)));
        });
        return sent;
    }

    private static Set<String> versions(String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = VERSION.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
