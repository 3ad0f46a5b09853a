package dev.cirrus.computevm.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import dev.cirrus.contracts.arm.ArmLocations;
import dev.cirrus.contracts.arm.ResourceId;
import dev.cirrus.plumbing.arm.ArmException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The platform image listing APIs ({@code az vm image list-publishers / list-offers / list-skus / list}): each level
 * is a JSON array of {@code {name, location, id}}; a version is {@code {name, location, id, properties}}. Unknown
 * publisher, offer, sku or version: 404 {@code NotFound}.
 */
@RestController
@RequestMapping("/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/publishers")
class ImageController {

    private final ImageCatalogue catalogue;

    ImageController(ImageCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @GetMapping
    ArrayNode publishers(@PathVariable String subscriptionId, @PathVariable String location) {
        String loc = check(subscriptionId, location);
        return entries(catalogue.publishers(), loc, base(subscriptionId, loc));
    }

    @GetMapping("/{publisher}/artifacttypes/vmimage/offers")
    ArrayNode offers(@PathVariable String subscriptionId, @PathVariable String location, @PathVariable String publisher) {
        String loc = check(subscriptionId, location);
        return entries(catalogue.offers(publisher), loc, base(subscriptionId, loc) + "/" + publisher
                + "/ArtifactTypes/VMImage/Offers");
    }

    @GetMapping("/{publisher}/artifacttypes/vmimage/offers/{offer}/skus")
    ArrayNode skus(@PathVariable String subscriptionId, @PathVariable String location, @PathVariable String publisher,
                   @PathVariable String offer) {
        String loc = check(subscriptionId, location);
        return entries(catalogue.skus(publisher, offer), loc, base(subscriptionId, loc) + "/" + publisher
                + "/ArtifactTypes/VMImage/Offers/" + offer + "/Skus");
    }

    @GetMapping("/{publisher}/artifacttypes/vmimage/offers/{offer}/skus/{sku}/versions")
    ArrayNode versions(@PathVariable String subscriptionId, @PathVariable String location,
                       @PathVariable String publisher, @PathVariable String offer, @PathVariable String sku,
                       @RequestParam(name = "$top", required = false) String top,
                       @RequestParam(name = "$orderby", required = false) String orderBy) {
        String loc = check(subscriptionId, location);
        VmImage image = catalogue.sku(publisher, offer, sku);
        List<String> versions = image.versions().stream().sorted(ImageCatalogue.VERSION_ORDER).toList();
        if (orderBy != null) {
            if (orderBy.trim().equalsIgnoreCase("name desc")) {
                versions = versions.reversed();
            } else if (!orderBy.trim().equalsIgnoreCase("name") && !orderBy.trim().equalsIgnoreCase("name asc")) {
                throw ArmException.invalidParameter("The value '" + orderBy + "' of $orderby is not valid: use 'name', "
                        + "'name asc' or 'name desc'.", "$orderby");
            }
        }
        if (top != null) {
            int n;
            try {
                n = Integer.parseInt(top.trim());
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n < 1) {
                throw ArmException.invalidParameter("The value '" + top + "' of $top is not valid: it must be a positive "
                        + "integer.", "$top");
            }
            versions = versions.subList(0, Math.min(n, versions.size()));
        }
        return entries(versions, loc, versionsBase(subscriptionId, loc, image));
    }

    @GetMapping("/{publisher}/artifacttypes/vmimage/offers/{offer}/skus/{sku}/versions/{version}")
    ObjectNode version(@PathVariable String subscriptionId, @PathVariable String location,
                       @PathVariable String publisher, @PathVariable String offer, @PathVariable String sku,
                       @PathVariable String version) {
        String loc = check(subscriptionId, location);
        VmImage image = catalogue.sku(publisher, offer, sku);
        String exact = catalogue.resolve(publisher, offer, sku, version).orElseThrow(() -> ImageCatalogue.notFound(
                "version '" + version + "' of sku '" + sku + "'"));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("name", exact);
        body.put("location", loc);
        body.put("id", versionsBase(subscriptionId, loc, image) + "/" + exact);
        ObjectNode properties = body.putObject("properties");
        properties.putObject("osDiskImage").put("operatingSystem", image.osType())
                .put("sizeInGb", image.osType().equals("Windows") ? 127 : 30);
        properties.putArray("dataDiskImages");
        properties.put("hyperVGeneration", image.hyperVGeneration());
        properties.put("architecture", "x64");
        return body;
    }

    private static String check(String subscriptionId, String location) {
        ResourceId.requireSubscriptionId(subscriptionId);
        return ArmLocations.require(location, "location");
    }

    private static String base(String subscriptionId, String location) {
        return "/Subscriptions/" + subscriptionId + "/Providers/Microsoft.Compute/Locations/" + location + "/Publishers";
    }

    private static String versionsBase(String subscriptionId, String location, VmImage image) {
        return base(subscriptionId, location) + "/" + image.publisher() + "/ArtifactTypes/VMImage/Offers/"
                + image.offer() + "/Skus/" + image.sku() + "/Versions";
    }

    private static ArrayNode entries(List<String> names, String location, String base) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (String name : names) {
            list.addObject().put("name", name).put("location", location).put("id", base + "/" + name);
        }
        return list;
    }

    @Configuration(proxyBeanMethods = false)
    static class ImageConfiguration {

        /** Loaded and checked at start-up, like the size catalogue. */
        @Bean
        ImageCatalogue imageCatalogue(ObjectMapper json,
                                      // the catalogue shipped with the service; an operator may point at their own file
                                      @Value("${cirrus.vm.image-catalogue:classpath:images/vm-images.json}") Resource file)
                throws IOException {
            try (InputStream in = file.getInputStream()) {
                return ImageCatalogue.read(in, json);
            }
        }
    }
}
