package dev.cirrus.computecontainer.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cirrus.plumbing.security.ServiceCredential;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * compute-vm's scale sets, over its ARM API on {@code cirrus.compute-container.compute-vm-url}, with the platform's
 * service credential (as the gateway calls it). Every call has {@code call-timeout}; a call that cannot be made or
 * is answered 5xx throws {@link Unavailable} (the worker tries again until the operation's deadline), a 4xx
 * {@link Refused} with compute-vm's ARM error (the operation fails with it).
 */
@Component
public class ComputeVmClient {

    static final String API = "api-version=2024-07-01";

    /** One instance of a scale set as the cluster needs it. */
    public record Instance(String instanceId, UUID vmId, String name, String provisioningState, String powerState,
                           Integer faultDomain) {
        boolean busy() {
            return !"Succeeded".equals(provisioningState) && !"Failed".equals(provisioningState);
        }
    }

    /** compute-vm did not answer, or answered 5xx: retry later. */
    public static class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** compute-vm refused the call (4xx) with an ARM error. */
    public static class Refused extends RuntimeException {
        private final int status;
        private final String code;

        Refused(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    private final ClusterProperties properties;
    private final ServiceCredential credential;
    private final ObjectMapper json;
    private final HttpClient http;

    ComputeVmClient(ClusterProperties properties, ServiceCredential credential, ObjectMapper json) {
        this.properties = properties;
        this.credential = credential;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(properties.callTimeout()).build();
    }

    static String scaleSetPath(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + enc(rg)
                + "/providers/Microsoft.Compute/virtualMachineScaleSets/" + name;
    }

    /** The scale set, or empty when compute-vm has none of that name. */
    public Optional<JsonNode> scaleSet(String sub, String rg, String name) {
        HttpResponse<String> r = send("GET", scaleSetPath(sub, rg, name) + "?" + API, null);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(body(r));
    }

    /**
     * Creates the pool's scale set: Uniform, Manual upgrades, no overprovisioning (AKS's settings), spread over the
     * fault domains (platformFaultDomainCount 1 = as widely as the cluster's racks allow).
     */
    public void createScaleSet(String sub, String rg, String name, String location, String vmSize, int capacity,
                               Map<String, String> tags) {
        ObjectNode body = json.createObjectNode();
        body.put("location", location);
        body.set("tags", json.valueToTree(tags));
        body.putObject("sku").put("name", vmSize).put("tier", "Standard").put("capacity", capacity);
        ObjectNode p = body.putObject("properties");
        p.put("orchestrationMode", "Uniform");
        p.put("overprovision", false);
        p.put("singlePlacementGroup", false);
        p.put("platformFaultDomainCount", 1);
        p.putObject("upgradePolicy").put("mode", "Manual");
        ObjectNode profile = p.putObject("virtualMachineProfile");
        profile.putObject("storageProfile").putObject("imageReference").put("publisher", "Canonical")
                .put("offer", "0001-com-ubuntu-server-jammy").put("sku", "22_04-lts").put("version", "latest");
        profile.putObject("osProfile").put("computerNamePrefix", name).put("adminUsername", "azureuser")
                // nobody logs in to a node: a random password nobody is told
                .put("adminPassword", "Aks!" + UUID.randomUUID());
        ObjectNode nic = profile.putObject("networkProfile").putArray("networkInterfaceConfigurations").addObject();
        nic.put("name", name);
        ObjectNode nicProps = nic.putObject("properties");
        nicProps.put("primary", true);
        nicProps.putArray("ipConfigurations").addObject().put("name", "ipconfig1").putObject("properties")
                .putObject("subnet").put("id", "/subscriptions/" + sub + "/resourceGroups/" + rg
                        + "/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/aks-subnet");
        HttpResponse<String> r = send("PUT", scaleSetPath(sub, rg, name) + "?" + API, body.toString());
        body(r);
    }

    public void setCapacity(String sub, String rg, String name, int capacity) {
        ObjectNode body = json.createObjectNode();
        body.putObject("sku").put("capacity", capacity);
        body(send("PATCH", scaleSetPath(sub, rg, name) + "?" + API, body.toString()));
    }

    /** {@code POST …/{action}} ({@code delete}, {@code deallocate}, {@code start}) on the given instances. */
    public void act(String sub, String rg, String name, String action, List<String> instanceIds) {
        ObjectNode body = json.createObjectNode();
        var ids = body.putArray("instanceIds");
        instanceIds.forEach(ids::add);
        body(send("POST", scaleSetPath(sub, rg, name) + "/" + action + "?" + API, body.toString()));
    }

    public void deleteScaleSet(String sub, String rg, String name) {
        HttpResponse<String> r = send("DELETE", scaleSetPath(sub, rg, name) + "?" + API, null);
        if (r.statusCode() != 404) {
            body(r);
        }
    }

    /** Every instance of the set, with its power state and fault domain (all pages). */
    public List<Instance> instances(String sub, String rg, String name) {
        List<Instance> out = new ArrayList<>();
        String next = scaleSetPath(sub, rg, name) + "/virtualMachines?$expand=instanceView&" + API;
        while (next != null) {
            JsonNode page = body(send("GET", next, null));
            for (JsonNode i : page.path("value")) {
                JsonNode props = i.path("properties");
                JsonNode view = props.path("instanceView");
                String power = null;
                for (JsonNode s : view.path("statuses")) {
                    String code = s.path("code").asString("");
                    if (code.startsWith("PowerState/")) {
                        power = code.substring("PowerState/".length());
                    }
                }
                String vmId = props.path("vmId").asString(null);
                String computer = view.path("computerName").asString(null);
                if (computer == null) {
                    computer = props.path("osProfile").path("computerName").asString(i.path("name").asString());
                }
                out.add(new Instance(i.path("instanceId").asString(), vmId == null ? null : UUID.fromString(vmId),
                        computer, props.path("provisioningState").asString(null), power,
                        view.has("platformFaultDomain") ? view.path("platformFaultDomain").asInt() : null));
            }
            String link = page.path("nextLink").asString(null);
            next = link == null ? null : URI.create(link).getRawPath() + "?" + URI.create(link).getRawQuery();
        }
        return out;
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String body) {
        URI uri = URI.create(properties.computeVmUrl().toString().replaceAll("/+$", "") + pathAndQuery);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(properties.callTimeout())
                .header(ServiceCredential.HEADER, credential.value())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 500 || r.statusCode() == 429) {
                throw new Unavailable("compute-vm answered " + r.statusCode() + " to " + method + " " + uri.getPath()
                        + ": " + shortened(r.body()), null);
            }
            return r;
        } catch (IOException e) {
            throw new Unavailable("compute-vm at " + properties.computeVmUrl() + " cannot be reached ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while calling compute-vm", e);
        }
    }

    private JsonNode body(HttpResponse<String> r) {
        if (r.statusCode() >= 400) {
            String code = "ComputeVmRefused";
            String message = shortened(r.body());
            try {
                JsonNode error = json.readTree(r.body()).path("error");
                code = error.path("code").asString(code);
                message = error.path("message").asString(message);
            } catch (RuntimeException notJson) {
                // keep the raw text
            }
            throw new Refused(r.statusCode(), code, message);
        }
        String text = r.body();
        return text == null || text.isBlank() ? json.createObjectNode() : json.readTree(text);
    }

    private static String shortened(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
