package dev.recordings.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.recordings.db.EmbeddedDatabaseConfig;
import dev.recordings.recall.RecallConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The configuration table in docs/configuration.md against the one place each setting is declared, its
 * {@code @ConfigMapping} interface: every setting is in the table, with its environment variable and its default.
 */
class ConfigurationDocumentTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| `([A-Z0-9_]+)` \\| ([^|]*) \\|",
            Pattern.MULTILINE);

    @Test
    void everyDeclaredSettingIsDocumentedWithItsVariableAndDefault() throws IOException {
        Map<String, Row> documented = new LinkedHashMap<>();
        Matcher rows = ROW.matcher(Files.readString(Path.of("docs/configuration.md")));
        while (rows.find()) {
            documented.put(rows.group(1), new Row(rows.group(2), rows.group(3).strip()));
        }
        Map<String, Optional<String>> declared = new LinkedHashMap<>();
        for (Class<?> mapping : new Class<?>[] { RecordingsConfig.class, RecallConfig.class,
                EmbeddedDatabaseConfig.class }) {
            settings(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, declared);
        }
        assertFalse(declared.isEmpty());
        declared.forEach((setting, defaultValue) -> {
            Row row = documented.get(setting);
            assertTrue(row != null, setting + " is not in docs/configuration.md");
            assertEquals(setting.toUpperCase().replace('.', '_').replace('-', '_'), row.variable(), setting);
            defaultValue.ifPresentOrElse(
                    value -> assertTrue(row.defaultValue().startsWith("`" + value + "`"),
                            setting + " defaults to " + value + ", the table says " + row.defaultValue()),
                    () -> assertTrue(row.defaultValue().startsWith("unset"),
                            setting + " has no default, the table says " + row.defaultValue()));
        });
    }

    /** The tracing settings, Quarkus's own, which decide whether there are traces at all (TracesNeedAnEndpoint). */
    @Test
    void theTracingSettingsAreDocumented() throws IOException {
        String document = Files.readString(Path.of("docs/configuration.md"));
        List<String> settings = new java.util.ArrayList<>(dev.recordings.telemetry.TracesNeedAnEndpoint.ENDPOINTS);
        settings.addAll(List.of("quarkus.otel.exporter.otlp.protocol", "quarkus.otel.sdk.disabled"));
        for (String setting : settings) {
            assertTrue(document.contains("| `" + setting + "` | `"
                    + setting.toUpperCase().replace('.', '_').replace('-', '_') + "` |"), setting);
        }
    }

    private record Row(String variable, String defaultValue) {
    }

    private static void settings(String prefix, Class<?> group, Map<String, Optional<String>> into) {
        for (Method method : group.getDeclaredMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.isSynthetic()) {
                continue;
            }
            if (method.getReturnType().isAnnotationPresent(ConfigMapping.class)) {
                continue; // a mapping of its own, read on its own
            }
            WithName named = method.getAnnotation(WithName.class);
            String name = prefix + "." + (named != null ? named.value() : kebab(method.getName()));
            if (method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass() == group) {
                settings(name, method.getReturnType(), into);
                continue;
            }
            WithDefault defaultValue = method.getAnnotation(WithDefault.class);
            into.put(name, Optional.ofNullable(defaultValue).map(WithDefault::value));
        }
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
