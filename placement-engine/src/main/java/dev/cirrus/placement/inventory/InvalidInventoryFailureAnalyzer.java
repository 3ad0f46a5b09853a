package dev.cirrus.placement.inventory;

import dev.cirrus.placement.PlacementProperties;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints an invalid inventory as Spring Boot's "APPLICATION FAILED TO START" report instead of a stack trace. */
public class InvalidInventoryFailureAnalyzer extends AbstractFailureAnalyzer<InvalidInventoryException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidInventoryException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the inventory file, or point cirrus.placement.inventory at another one (classpath:..., file:... "
                        + "or a plain path; the default is " + PlacementProperties.DEFAULT_INVENTORY + ").",
                cause);
    }
}
