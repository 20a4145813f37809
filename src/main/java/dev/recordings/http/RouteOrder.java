package dev.recordings.http;

/**
 * The order of the handlers this service puts on the Vert.x router ahead of the REST layer, in one place: the
 * checks that may answer at once first (an oversized body), then the request log (so every answer after it is
 * logged with its id), then load shedding (which counts only what it admits).
 */
final class RouteOrder {

    static final int REFUSE_AT_ONCE = Integer.MIN_VALUE;
    static final int REQUEST_LOG = REFUSE_AT_ONCE + 1;
    static final int LOAD_SHEDDING = REQUEST_LOG + 1;

    private RouteOrder() {
    }
}
