package dev.cirrus.billing.price;

/** The price sheet cannot be read or is not fit to bill from; the service refuses to start with it. */
public class InvalidPriceSheetException extends RuntimeException {
    public InvalidPriceSheetException(String message, Throwable cause) {
        super(message, cause);
    }
}
