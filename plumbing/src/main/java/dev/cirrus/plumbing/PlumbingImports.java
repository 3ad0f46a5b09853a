package dev.cirrus.plumbing;

import dev.cirrus.plumbing.arm.ArmWebConfiguration;
import dev.cirrus.plumbing.events.EventsConfiguration;
import dev.cirrus.plumbing.process.ParentWatchdog;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/** Imports the web part only where Spring MVC is on the class path (the gateway is reactive). */
class PlumbingImports implements ImportSelector {
    @Override
    public String[] selectImports(AnnotationMetadata metadata) {
        boolean servlet = ClassUtils.isPresent("org.springframework.web.servlet.DispatcherServlet",
                PlumbingImports.class.getClassLoader());
        return servlet
                ? new String[] {EventsConfiguration.class.getName(), ParentWatchdog.class.getName(),
                        ArmWebConfiguration.class.getName()}
                : new String[] {EventsConfiguration.class.getName(), ParentWatchdog.class.getName()};
    }
}
