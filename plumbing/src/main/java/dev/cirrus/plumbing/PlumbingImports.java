package dev.cirrus.plumbing;

import dev.cirrus.plumbing.arm.ArmWebConfiguration;
import dev.cirrus.plumbing.events.EventsConfiguration;
import dev.cirrus.plumbing.process.ParentWatchdog;
import dev.cirrus.plumbing.security.ServiceTrustConfiguration;
import dev.cirrus.plumbing.security.ServiceTrustWebConfiguration;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Imports the web part (ARM conventions, the service credential filter) only where Spring MVC is on the class path;
 * the gateway is reactive and only sends the credential.
 */
class PlumbingImports implements ImportSelector {
    @Override
    public String[] selectImports(AnnotationMetadata metadata) {
        boolean servlet = ClassUtils.isPresent("org.springframework.web.servlet.DispatcherServlet",
                PlumbingImports.class.getClassLoader());
        return servlet
                ? new String[] {EventsConfiguration.class.getName(), ParentWatchdog.class.getName(),
                        ServiceTrustConfiguration.class.getName(), ServiceTrustWebConfiguration.class.getName(),
                        ArmWebConfiguration.class.getName()}
                : new String[] {EventsConfiguration.class.getName(), ParentWatchdog.class.getName(),
                        ServiceTrustConfiguration.class.getName()};
    }
}
