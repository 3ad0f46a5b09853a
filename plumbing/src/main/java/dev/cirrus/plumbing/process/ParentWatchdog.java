package dev.cirrus.plumbing.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;

/**
 * In the local run every service is a child of the launcher. If the launcher dies without stopping its children
 * (kill -9), each child notices here and exits, so no orphan process is left behind.
 */
@Configuration(proxyBeanMethods = false)
public class ParentWatchdog {

    private static final Logger log = LoggerFactory.getLogger(ParentWatchdog.class);

    ParentWatchdog(@Value("${cirrus.parent-pid:0}") long parentPid) {
        if (parentPid <= 0) {
            return;
        }
        var parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            log.error("parent process {} is gone; exiting", parentPid);
            exit();
        } else {
            parent.get().onExit().thenRun(() -> {
                log.error("parent process {} exited; exiting", parentPid);
                exit();
            });
        }
    }

    private static void exit() {
        Thread.ofPlatform().start(() -> System.exit(0));
    }
}
