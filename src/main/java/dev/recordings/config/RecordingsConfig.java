package dev.recordings.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.recordings.db.EmbeddedDatabaseConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The service's own settings; each has an environment variable (RECORDINGS_…) listed in the README. */
@ConfigMapping(prefix = "recordings")
public interface RecordingsConfig {

    /** Enables the provisioning API, authenticated with this token. Unset: the API answers 404. */
    Optional<String> adminToken();

    /** Whether creating a recording asks Recall.ai for an upload. Unset: on, except on the embedded database. */
    Optional<Boolean> uploadsEnabled();

    /** API requests served at once by one instance; beyond this they answer 503 with Retry-After at once. */
    @WithDefault("256")
    int maxRequestsInFlight();

    /**
     * Requests per second each API key may make on each replica, with bursts of up to twice as many; beyond, 429
     * with Retry-After.
     */
    @WithDefault("50")
    int rateLimitPerKey();

    /**
     * Live transcript streams one replica holds at once; beyond, a new stream answers 503. Streams do not count
     * toward {@link #maxRequestsInFlight()}.
     */
    @WithDefault("1000")
    int maxStreams();

    /**
     * Memory each replica gives to the serialized closed chunks of recently answered transcripts, so that a full
     * answer reads only what changed from the database (least recently used first out; 0 turns it off).
     */
    @WithDefault("64M")
    MemorySize transcriptCacheSize();

    Stream stream();

    Retention retention();

    Webhooks webhooks();

    /** Declared in the {@code db} package, whose config source reads it before the application exists. */
    EmbeddedDatabaseConfig embeddedDb();


    interface Stream {
        /** A comment line is sent on every open stream this often, so proxies and clients see it alive. */
        @WithDefault("15s")
        Duration keepAlive();
    }

    interface Retention {
        /** How often one replica sweeps recordings past their project's retention_days (a Quarkus duration). */
        @WithDefault("1h")
        String interval();

        /**
         * Recordings (or webhook deliveries) deleted per statement, so a sweep never holds long locks: a recording
         * takes its transcript's chunk and key rows with it, thousands for a long meeting.
         */
        @WithDefault("100")
        int batchSize();

        /** Days a Recall.ai webhook delivery is kept for deduplication. */
        @WithDefault("7")
        int webhookDeliveryDays();
    }

    interface Webhooks {
        /** Endpoints may have http:// URLs (development); otherwise only https. */
        @WithDefault("false")
        boolean allowHttp();

        /**
         * Endpoints may be, or resolve to, loopback, private, link-local or unspecified addresses (development and
         * tests only: it lets anyone with webhook:write make the service call into its own network).
         */
        @WithDefault("false")
        boolean allowPrivate();

        /** The deadline of a whole delivery attempt (connect, send, the complete answer); past it, it has failed. */
        @WithDefault("15s")
        Duration timeout();

        /** transcript.updated comes at most this often per recording and endpoint. */
        @WithDefault("10s")
        Duration transcriptInterval();

        /** The waits before each retry of a failed delivery (with jitter); after the last, it is abandoned. */
        @WithDefault("5s,5m,30m,2h,5h,10h,14h,20h,24h")
        List<Duration> retrySchedule();
    }
}
