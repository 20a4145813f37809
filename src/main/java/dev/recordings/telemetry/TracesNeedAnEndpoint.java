package dev.recordings.telemetry;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import dev.recordings.db.ConfigPhase;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Traces are off unless an OTLP endpoint is configured with Quarkus's own settings
 * ({@code quarkus.otel.exporter.otlp.endpoint} or {@code quarkus.otel.exporter.otlp.traces.endpoint}, in any
 * source: the environment, application.properties, a system property). The extension's own default endpoint
 * (localhost:4317) does not count: without a collector there, a pod would spend its CPU on spans nobody receives
 * and log export failures. Off means the SDK is disabled ({@code quarkus.otel.sdk.disabled}): no span is recorded.
 * Written by hand because Quarkus has no setting that turns the SDK on only when an endpoint is given; an
 * explicit {@code quarkus.otel.sdk.disabled} still wins (this source's ordinal is below application.properties').
 */
public class TracesNeedAnEndpoint implements ConfigSourceFactory {

    public static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.endpoint",
            "quarkus.otel.exporter.otlp.traces.endpoint");
    /** Above the extensions' defaults, below application.properties (250), the environment and system properties. */
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (ConfigPhase.duringBuild()) {
            // a value given while building would be recorded into the application as a default
            return List.of();
        }
        for (String endpoint : ENDPOINTS) {
            if (configured(context.getValue(endpoint))) {
                return List.of();
            }
        }
        return List.of(new PropertiesConfigSource(Map.of("quarkus.otel.sdk.disabled", "true"),
                "traces off without an OTLP endpoint", ORDINAL));
    }

    /** Set by a source of the application's (an ordinal of 100 or more), not by the extension's defaults. */
    private static boolean configured(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank()
                && value.getConfigSourceOrdinal() >= 100;
    }
}
