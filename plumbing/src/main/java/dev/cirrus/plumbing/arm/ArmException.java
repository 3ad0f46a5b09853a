package dev.cirrus.plumbing.arm;

import dev.cirrus.contracts.arm.ArmError;
import dev.cirrus.contracts.arm.ArmErrorException;

/**
 * A refusal a user must see as an ARM error with a 4xx status: bad input, a missing resource, a conflict.
 * Transient failures of dependencies are {@link DependencyFailureException}, never this. Both are
 * {@link ArmErrorException}s, which pure code in {@code contracts} throws directly.
 */
public class ArmException extends ArmErrorException {

    public ArmException(int status, String code, String message, String target) {
        super(status, new ArmError(code, message, target), null);
    }

    public ArmException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public static ArmException badRequest(String code, String message, String target) {
        return new ArmException(400, code, message, target);
    }

    public static ArmException invalidParameter(String message, String target) {
        return new ArmException(400, "InvalidParameter", message, target);
    }

    public static ArmException notFound(String code, String message) {
        return new ArmException(404, code, message);
    }

    public static ArmException conflict(String code, String message) {
        return new ArmException(409, code, message);
    }
}
