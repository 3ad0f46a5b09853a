package dev.cirrus.contracts.arm;

/** The ARM error body, {@code {"error":{...}}}, returned with every 4xx and 5xx answer. */
public record ArmErrorBody(ArmError error) {
}
