package dev.cirrus.plumbing.arm;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Tomcat settings that keep bad URLs inside ARM's conventions:
 * <ul>
 *   <li>an encoded slash in a path segment ({@code …/virtualMachines/a%2Fb}) reaches the application undecoded,
 *       which reads it as the name {@code a/b} and refuses it as an invalid name (400 {@code InvalidParameter}),
 *       instead of Tomcat refusing the request with its own page;</li>
 *   <li>whatever Tomcat still refuses itself (a path that is not valid UTF-8, an encoded {@code NUL}) is answered by
 *       {@link ArmErrorReportValve} with an ARM error body instead of HTML. It replaces the error report valve
 *       Spring Boot installs, so it runs last of the customizers.</li>
 * </ul>
 */
class TomcatArmConfiguration implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
        factory.addContextCustomizers(context -> {
            Container parent = context.getParent();
            if (parent == null) {
                return;
            }
            for (Valve valve : parent.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve && !(valve instanceof ArmErrorReportValve)) {
                    parent.getPipeline().removeValve(valve);
                }
            }
            if (parent instanceof StandardHost host) {
                host.setErrorReportValveClass(ArmErrorReportValve.class.getName());
            } else {
                parent.getPipeline().addValve(new ArmErrorReportValve());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
