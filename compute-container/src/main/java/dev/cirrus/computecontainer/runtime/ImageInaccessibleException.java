package dev.cirrus.computecontainer.runtime;

/** An image is neither on the engine nor can be pulled from its registry (with the group's credential, if any). */
public class ImageInaccessibleException extends RuntimeException {

    private final String image;

    public ImageInaccessibleException(String image, String reason, Throwable cause) {
        super(reason, cause);
        this.image = image;
    }

    public String image() {
        return image;
    }
}
