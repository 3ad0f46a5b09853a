package dev.cirrus.placement.inventory;

import java.util.List;
import java.util.stream.Collectors;

/** The inventory file cannot be used: the engine refuses to start, and says every problem found. */
class InvalidInventoryException extends RuntimeException {

    private final String location;
    private final List<String> problems;

    InvalidInventoryException(String location, List<String> problems) {
        super("The placement inventory '" + location + "' is invalid:"
                + problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining()));
        this.location = location;
        this.problems = List.copyOf(problems);
    }

    String location() {
        return location;
    }

    List<String> problems() {
        return problems;
    }
}
