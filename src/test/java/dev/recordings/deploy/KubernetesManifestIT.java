package dev.recordings.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The manifests the build generates into target/kubernetes/, read as an operator's kubectl would. */
class KubernetesManifestIT {

    private static final List<JsonNode> RESOURCES = new ArrayList<>();

    @BeforeAll
    static void readManifest() throws Exception {
        File manifest = new File(System.getProperty("kubernetes.manifest", "target/kubernetes/kubernetes.yml"));
        try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class).readValues(manifest)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isEmpty()) {
                    RESOURCES.add(document);
                }
            }
        }
    }

    private static JsonNode resource(String kind) {
        return RESOURCES.stream().filter(r -> kind.equals(r.path("kind").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in the manifest"));
    }

    private static JsonNode container() {
        return resource("Deployment").at("/spec/template/spec/containers/0");
    }

    @Test
    void deploymentRunsTwoReplicasWithAGracePeriodAboveTheShutdownTimeout() {
        JsonNode deployment = resource("Deployment");
        assertEquals(2, deployment.at("/spec/replicas").asInt());
        assertTrue(deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt() > 23,
                "above shutdown delay (3 s) + timeout (20 s)");
    }

    @Test
    void theThreeProbesPointAtTheHealthEndpoints() {
        assertEquals("/q/health/live", container().at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container().at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/started", container().at("/startupProbe/httpGet/path").asText());
    }

    @Test
    void resourcesAreRequestedAndLimited() {
        for (String path : List.of("/resources/requests/cpu", "/resources/requests/memory",
                "/resources/limits/cpu", "/resources/limits/memory")) {
            assertTrue(!container().at(path).isMissingNode(), path);
        }
    }

    @Test
    void settingsComeFromASecretAndAConfigMap() {
        JsonNode envFrom = container().path("envFrom");
        assertTrue(envFrom.findValuesAsText("name").contains("desktop-recordings-secrets"));
        assertNotNull(envFrom.findValue("secretRef"));
        assertNotNull(envFrom.findValue("configMapRef"));
    }

    @Test
    void aServiceAndAPodDisruptionBudgetComeWithIt() {
        assertEquals(8080, resource("Service").at("/spec/ports/0/targetPort").asInt());
        JsonNode budget = resource("PodDisruptionBudget");
        assertEquals(1, budget.at("/spec/minAvailable").asInt());
        assertEquals("desktop-recordings", budget.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText());
    }

    @Test
    void theEmbeddedDatabaseIsSwitchedOff() {
        JsonNode env = container().path("env");
        boolean off = false;
        for (JsonNode variable : env) {
            off |= "RECORDINGS_EMBEDDED_DB_ENABLED".equals(variable.path("name").asText())
                    && "false".equals(variable.path("value").asText());
        }
        assertTrue(off, "RECORDINGS_EMBEDDED_DB_ENABLED=false in " + env);
    }
}
