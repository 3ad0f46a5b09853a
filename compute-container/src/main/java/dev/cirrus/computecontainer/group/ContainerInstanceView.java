package dev.cirrus.computecontainer.group;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The instance view of one container as Azure shows it ({@code properties.instanceView} of a container): what the
 * runtime last observed, kept by {@link GroupMonitor} and the worker.
 *
 * @param dockerId the Docker container that runs it now, or null
 */
public record ContainerInstanceView(String containerName, String dockerId, int restartCount, State currentState,
                                    State previousState, List<ViewEvent> events) {

    public ContainerInstanceView {
        events = events == null ? List.of() : List.copyOf(events);
    }

    /**
     * {@code state}: Waiting, Running or Terminated; {@code detailStatus}: why (Completed, Error, CrashLoopBackOff,
     * Stopped, …).
     */
    public record State(String state, Instant startTime, Integer exitCode, Instant finishTime, String detailStatus) {
    }

    /** An event in Azure's shape: Pulling, Pulled, Started, Killing… with how often and when. */
    public record ViewEvent(int count, Instant firstTimestamp, Instant lastTimestamp, String name, String message,
                            String type) {
    }

    public static ContainerInstanceView waiting(String containerName) {
        return new ContainerInstanceView(containerName, null, 0, new State("Waiting", null, null, null, "Pending"),
                null, List.of());
    }

    /** This view with an event added, or counted again when the last one has the same name and message. */
    public ContainerInstanceView withEvent(String name, String message, java.time.Instant at) {
        List<ViewEvent> list = new ArrayList<>(events);
        ViewEvent last = list.isEmpty() ? null : list.getLast();
        if (last != null && last.name().equals(name) && last.message().equals(message)) {
            list.set(list.size() - 1, new ViewEvent(last.count() + 1, last.firstTimestamp(), at, name, message,
                    last.type()));
        } else {
            list.add(new ViewEvent(1, at, at, name, message, "Normal"));
        }
        // the most recent events are what a user looks for; a crash loop must not grow the row without bound
        List<ViewEvent> kept = list.size() > 50 ? list.subList(list.size() - 50, list.size()) : list;
        return new ContainerInstanceView(containerName, dockerId, restartCount, currentState, previousState, kept);
    }

    /** This view in a new state, the current one becoming the previous one. */
    public ContainerInstanceView moved(String newDockerId, int newRestartCount, State next) {
        return new ContainerInstanceView(containerName, newDockerId, newRestartCount, next,
                currentState == null || "Waiting".equals(currentState.state()) && previousState == null
                        ? previousState : currentState, events);
    }
}
