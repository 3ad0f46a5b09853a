package dev.cirrus.plumbing.arm;

/** The request body is larger than ARM accepts (4 MB): 413. */
public class RequestTooLargeException extends RuntimeException {
    public RequestTooLargeException(long limit) {
        super("The request content length exceeds the limit of " + limit + " bytes.");
    }
}
