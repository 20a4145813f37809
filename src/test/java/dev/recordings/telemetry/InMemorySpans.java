package dev.recordings.telemetry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.arc.properties.IfBuildProperty;

/**
 * Every span the tests' service ends, in memory, for the tests whose profile asks for it (a SpanExporter bean takes
 * the place of Quarkus's OTLP exporter).
 */
@ApplicationScoped
@IfBuildProperty(name = "tracestest.in-memory", stringValue = "true")
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
