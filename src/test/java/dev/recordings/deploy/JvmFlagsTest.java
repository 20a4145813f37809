package dev.recordings.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The pod's JVM flags are declared once, in {@code quarkus.jib.jvm-arguments} (the Jib image; bench/run.sh reads
 * them from there too). The Dockerfile for people with Docker cannot read that file, so it repeats them: this test
 * keeps the two the same.
 */
class JvmFlagsTest {

    @Test
    void theDockerfileRunsTheJvmWithTheImagesFlags() throws IOException {
        String declared = Files.readAllLines(Path.of("src/main/resources/application.properties")).stream()
                .filter(line -> line.startsWith("quarkus.jib.jvm-arguments=")).findFirst().orElseThrow()
                .substring("quarkus.jib.jvm-arguments=".length());
        List<String> flags = Arrays.asList(declared.split(","));
        assertFalse(flags.isEmpty());
        String options = Files.readAllLines(Path.of("docker/Dockerfile.jvm")).stream()
                .filter(line -> line.startsWith("ENV JAVA_OPTS_APPEND=")).findFirst().orElseThrow()
                .replaceFirst("^ENV JAVA_OPTS_APPEND=\"", "").replaceFirst("\"$", "");
        List<String> dockerfile = new ArrayList<>(Arrays.asList(options.split(" ")));
        dockerfile.remove("-Dquarkus.http.host=0.0.0.0"); // what production listens on anyway
        assertEquals(flags.stream().sorted().toList(), dockerfile.stream().sorted().toList());
    }
}
