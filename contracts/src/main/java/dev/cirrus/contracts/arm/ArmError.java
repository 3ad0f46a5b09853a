package dev.cirrus.contracts.arm;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The inner object of an ARM error body: {@code {"error":{"code","message","target","details"}}}.
 * {@code code} and {@code message} are always present; {@code target} names the offending property or parameter.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArmError(String code, String message, String target, List<ArmError> details) {

    public ArmError(String code, String message, String target) {
        this(code, message, target, null);
    }

    public ArmErrorBody body() {
        return new ArmErrorBody(this);
    }
}
