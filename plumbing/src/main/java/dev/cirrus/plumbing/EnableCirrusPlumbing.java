package dev.cirrus.plumbing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;

/**
 * Gives a service the shared plumbing: the transactional outbox and its relay to Kafka, the parent-process
 * watchdog of the local run, the platform's service credential ({@link dev.cirrus.plumbing.security.ServiceCredential})
 * and, in servlet services, the filter that requires it, ARM error mapping and the request-size limit.
 * Inbox consumers are created by each service with {@link dev.cirrus.plumbing.events.InboxConsumer}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Import(PlumbingImports.class)
public @interface EnableCirrusPlumbing {
}
