package dev.recordings.json;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.PropertyNamingStrategy;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Jackson as the contract wants it: snake_case names, date-times in UTC ending in {@code Z} with microseconds, and
 * no lenient coercion anywhere a body is bound to a Java type (a {@code 1.5} never becomes {@code 1}, nor {@code 12}
 * a string).
 */
@Singleton
public class JsonConfiguration implements ObjectMapperCustomizer {

    static final DateTimeFormatter UTC_MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    /** Last, so that this date-time format wins over the one Quarkus registers. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.setPropertyNamingStrategy(new ApiNaming());
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("utc-date-times").addSerializer(new UtcDateTimeSerializer()));
    }

    /**
     * snake_case for this service's own types, as the contract names its fields; the MCP extension's protocol types
     * (which this mapper writes too) keep their Java names, since MCP's JSON is camelCase ({@code isError}).
     */
    static final class ApiNaming extends PropertyNamingStrategy {

        private static final PropertyNamingStrategy SNAKE_CASE = PropertyNamingStrategies.SNAKE_CASE;

        private static boolean protocol(AnnotatedMember member) {
            return member != null && member.getDeclaringClass().getName().startsWith("io.quarkiverse.mcp.");
        }

        @Override
        public String nameForField(MapperConfig<?> config, AnnotatedField field, String name) {
            return protocol(field) ? name : SNAKE_CASE.nameForField(config, field, name);
        }

        @Override
        public String nameForGetterMethod(MapperConfig<?> config, AnnotatedMethod method, String name) {
            return protocol(method) ? name : SNAKE_CASE.nameForGetterMethod(config, method, name);
        }

        @Override
        public String nameForSetterMethod(MapperConfig<?> config, AnnotatedMethod method, String name) {
            return protocol(method) ? name : SNAKE_CASE.nameForSetterMethod(config, method, name);
        }

        @Override
        public String nameForConstructorParameter(MapperConfig<?> config, AnnotatedParameter parameter,
                String name) {
            return protocol(parameter) ? name : SNAKE_CASE.nameForConstructorParameter(config, parameter, name);
        }
    }

    static final class UtcDateTimeSerializer extends StdSerializer<OffsetDateTime> {
        UtcDateTimeSerializer() {
            super(OffsetDateTime.class);
        }

        @Override
        public void serialize(OffsetDateTime value, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            generator.writeString(UTC_MICROS.format(value.withOffsetSameInstant(ZoneOffset.UTC)));
        }
    }
}
