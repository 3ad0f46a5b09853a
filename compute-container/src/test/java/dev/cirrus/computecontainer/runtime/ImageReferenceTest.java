package dev.cirrus.computecontainer.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "busybox,                          -,                     busybox,        -",
            "cirrus-test/busybox:1,            -,                     cirrus-test/busybox, 1",
            "myregistry.example:5000/team/app:1.2, myregistry.example:5000, team/app, 1.2",
            "localhost/app,                    localhost,             app,            -",
            "a.b/c__d/e-f.g:v_1.0-rc,          a.b,                   c__d/e-f.g,     v_1.0-rc"})
    void aReferenceTheEngineAcceptsIsReadIntoRegistryRepositoryAndTag(String text, String registry, String repository,
                                                                       String tag) {
        ImageReference ref = ImageReference.parse(text).orElseThrow();
        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag()).isEqualTo(tag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Busybox", "app:", "app:-x", "/app", "app/", "a//b", "app@sha256:xyz",
            "app name", "app:tag with space", ""})
    void aReferenceTheEngineWouldRefuseIsNoReference(String text) {
        assertThat(ImageReference.parse(text)).isEmpty();
    }
}
