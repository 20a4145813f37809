package dev.recordings.http;

import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;

/** The request log's line: method, the route as its template (never the raw path), status, duration, request id. */
@QuarkusTest
class RequestLogTest {

    private LogCapture log;

    @BeforeEach
    void listen() {
        log = LogCapture.listen(RequestLog.class.getName(), record -> true);
    }

    @AfterEach
    void stopListening() {
        log.stop();
    }

    /** The line for the request with this id; the log is written as the answer ends, so it may come a little later. */
    private String lineOf(String requestId) throws InterruptedException {
        for (int wait = 0; wait < 100; wait++) {
            for (String line : log.lines()) {
                if (line.endsWith("request_id=" + requestId)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no log line for " + requestId + " in " + log.lines());
    }

    @Test
    void aMatchedRouteIsLoggedAsItsTemplate() throws InterruptedException {
        Api.Tenant tenant = Api.writer();
        String recording = tenant.createRecording();
        tenant.request().header("X-Request-Id", "log-test-1").get(tenant.recordings() + recording + "/").then()
                .statusCode(200);
        String line = lineOf("log-test-1");
        assertTrue(line.matches("GET /api/projects/\\{project_id}/desktop_recordings/\\{id} 200 [0-9.]+ms "
                + "request_id=log-test-1"), line);

        tenant.request().header("X-Request-Id", "log-test-2").body("{\"segments\": []}")
                .post(tenant.recordings() + recording + "/append_segments/").then().statusCode(400);
        assertTrue(lineOf("log-test-2").startsWith(
                "POST /api/projects/{project_id}/desktop_recordings/{id}/append_segments 400 "), lineOf("log-test-2"));
    }

    @Test
    void anUnknownPathIsLoggedAsUnmatched() throws InterruptedException {
        Api.writer().request().header("X-Request-Id", "log-test-3").get("/api/nothing/here").then().statusCode(404);
        assertTrue(lineOf("log-test-3").startsWith("GET (unmatched) 404 "), lineOf("log-test-3"));
    }
}
