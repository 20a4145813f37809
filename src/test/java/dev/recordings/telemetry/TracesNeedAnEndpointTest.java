package dev.recordings.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Traces stay off unless an OTLP endpoint is configured, and an explicit choice wins. */
class TracesNeedAnEndpointTest {

    private static String sdkDisabled(Map<String, String> configured) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(configured,
                "application", 250)).withSources(new TracesNeedAnEndpoint()).build();
        return config.getOptionalValue("quarkus.otel.sdk.disabled", String.class).orElse("false");
    }

    @Test
    void offWithoutAnEndpoint() {
        assertEquals("true", sdkDisabled(Map.of()));
    }

    @Test
    void onWithEitherEndpoint() {
        assertEquals("false", sdkDisabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317")));
        assertEquals("false", sdkDisabled(Map.of("quarkus.otel.exporter.otlp.traces.endpoint",
                "http://collector:4318/v1/traces")));
    }

    @Test
    void anExplicitChoiceWins() {
        assertEquals("false", sdkDisabled(Map.of("quarkus.otel.sdk.disabled", "false")));
    }
}
