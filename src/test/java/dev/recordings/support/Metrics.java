package dev.recordings.support;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the service's Prometheus answer at {@code /q/metrics}, as a scraper would. */
public final class Metrics {

    private Metrics() {
    }

    /** The value of the series written exactly {@code series} (name and labels), or 0 when there is none yet. */
    public static double value(String series) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.E+-]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
