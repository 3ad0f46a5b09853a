package dev.cirrus.computevm.image;

import java.util.List;

/** One platform image sku of the catalogue with its versions (oldest first). */
public record VmImage(String publisher, String offer, String sku, String osType, String hyperVGeneration,
                      List<String> versions) {

    public VmImage {
        if (publisher == null || offer == null || sku == null || versions == null || versions.isEmpty()) {
            throw new IllegalArgumentException("an image needs a publisher, offer, sku and at least one version");
        }
        if (!"Linux".equals(osType) && !"Windows".equals(osType)) {
            throw new IllegalArgumentException("image " + publisher + ":" + offer + ":" + sku + " has osType " + osType);
        }
        versions = List.copyOf(versions);
    }
}
