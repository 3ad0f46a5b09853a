package dev.cirrus.computevm.size;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import tools.jackson.databind.ObjectMapper;

@Configuration(proxyBeanMethods = false)
class SizeConfiguration {

    /** Loaded and checked at start-up: a broken catalogue stops the service instead of refusing every VM later. */
    @Bean
    SizeCatalogue sizeCatalogue(ObjectMapper json,
                                // the catalogue shipped with the service; an operator may point at their own file
                                @Value("${cirrus.vm.size-catalogue:classpath:sizes/vm-sizes.json}") Resource file)
            throws IOException {
        try (InputStream in = file.getInputStream()) {
            return SizeCatalogue.read(in, json);
        }
    }
}
