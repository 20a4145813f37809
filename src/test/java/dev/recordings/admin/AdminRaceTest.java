package dev.recordings.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Two operators (or a retried script) provisioning the same thing at once: one success and clean 4xx answers, or
 * idempotent successes, never a 500. Against the former check-then-insert code both tests failed (2 and 3 of 12
 * creations answered 500, and membership PUTs too).
 */
@QuarkusTest
class AdminRaceTest {

    private static final int AT_ONCE = 12;

    @TestHTTPResource("/")
    URI root;

    private List<HttpResponse<String>> atOnce(Function<Integer, HttpRequest> request) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(AT_ONCE);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            HttpRequest each = request.apply(i);
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    return client.send(each, HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        start.countDown();
        List<HttpResponse<String>> done = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            done.add(answer.get());
        }
        pool.shutdown();
        return done;
    }

    private HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(root.resolve(path)).header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
                .header("Content-Type", "application/json");
    }

    @Test
    void concurrentCreationsOfOneEmailGiveOneUserAndCleanRefusals() throws Exception {
        String email = UUID.randomUUID() + "@example.com";
        List<HttpResponse<String>> answers = atOnce(i -> admin("/api/admin/users")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\": \"" + email + "\"}")).build());
        Map<Integer, Long> statuses = answers.stream()
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertEquals(Map.of(201, 1L, 400, (long) AT_ONCE - 1), statuses, answers.toString());
        for (HttpResponse<String> answer : answers) {
            if (answer.statusCode() == 400) {
                JsonPath error = JsonPath.from(answer.body());
                assertEquals("unique", error.getString("code"));
                assertEquals("email", error.getString("attr"));
            }
        }
    }

    @Test
    void concurrentMembershipsOfOneUserAreAllIdempotentSuccesses() throws Exception {
        long project = Api.createProject();
        long user = Api.createUser();
        List<HttpResponse<String>> answers = atOnce(i -> admin("/api/admin/projects/" + project + "/members/" + user)
                .PUT(HttpRequest.BodyPublishers.noBody()).build());
        for (HttpResponse<String> answer : answers) {
            assertEquals(204, answer.statusCode(), answer.body());
        }
        // the membership works: a key of the user reads the project
        String key = Api.createKey(user, List.of("desktop_recording:read"), null);
        Api.as(key).get("/api/projects/" + project + "/desktop_recordings/").then().statusCode(200);
    }
}
