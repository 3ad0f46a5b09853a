package dev.cirrus.computevm.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.cirrus.plumbing.arm.ArmException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The platform images every region offers: publishers → offers → skus → versions, matched case-insensitively as
 * Azure matches them. {@code latest} is the highest version (compared number by number).
 */
public final class ImageCatalogue {

    private final List<VmImage> images;

    public ImageCatalogue(List<VmImage> images) {
        this.images = List.copyOf(images);
    }

    /** Reads {@code {"images":[{publisher, offer, sku, osType, hyperVGeneration, versions[]}, …]}}. */
    public static ImageCatalogue read(InputStream in, ObjectMapper json) throws IOException {
        JsonNode list = json.readTree(in).path("images");
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("the image catalogue needs a non-empty 'images' array");
        }
        List<VmImage> images = new ArrayList<>();
        for (JsonNode node : list) {
            images.add(json.treeToValue(node, VmImage.class));
        }
        return new ImageCatalogue(images);
    }

    public List<String> publishers() {
        return distinct(images.stream().map(VmImage::publisher).toList());
    }

    public List<String> offers(String publisher) {
        List<String> offers = distinct(images.stream().filter(i -> i.publisher().equalsIgnoreCase(publisher))
                .map(VmImage::offer).toList());
        if (offers.isEmpty()) {
            throw notFound("publisher '" + publisher + "'");
        }
        return offers;
    }

    public List<String> skus(String publisher, String offer) {
        List<String> skus = images.stream().filter(i -> i.publisher().equalsIgnoreCase(publisher)
                && i.offer().equalsIgnoreCase(offer)).map(VmImage::sku).toList();
        if (skus.isEmpty()) {
            throw notFound("offer '" + offer + "' of publisher '" + publisher + "'");
        }
        return skus;
    }

    public VmImage sku(String publisher, String offer, String sku) {
        return find(publisher, offer, sku).orElseThrow(() -> notFound("sku '" + sku + "' of offer '" + offer
                + "' of publisher '" + publisher + "'"));
    }

    public Optional<VmImage> find(String publisher, String offer, String sku) {
        return images.stream().filter(i -> i.publisher().equalsIgnoreCase(publisher)
                && i.offer().equalsIgnoreCase(offer) && i.sku().equalsIgnoreCase(sku)).findFirst();
    }

    /**
     * The exact version an image reference means ({@code latest} → the highest), or empty when the catalogue has no
     * such image or version.
     */
    public Optional<String> resolve(String publisher, String offer, String sku, String version) {
        return find(publisher, offer, sku).flatMap(image -> version == null || version.equalsIgnoreCase("latest")
                ? Optional.of(latest(image))
                : image.versions().stream().filter(v -> v.equalsIgnoreCase(version)).findFirst());
    }

    public static String latest(VmImage image) {
        return image.versions().stream().max(VERSION_ORDER).orElseThrow();
    }

    /** Versions compare number by number ("22.04.10" after "22.04.9"); non-numbers as text. */
    public static final Comparator<String> VERSION_ORDER = (a, b) -> {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c;
            try {
                c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            } catch (NumberFormatException e) {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    };

    private static List<String> distinct(List<String> values) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (seen.add(v.toLowerCase(Locale.ROOT))) {
                out.add(v);
            }
        }
        return out;
    }

    /** Azure's answer for an image listing that names something it does not have. */
    static ArmException notFound(String what) {
        return ArmException.notFound("NotFound", "Artifact: VMImage was not found: no " + what
                + " in the platform image catalogue.");
    }
}
