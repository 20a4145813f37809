package dev.recordings.transcript.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

/**
 * The pod's one listening connection: LISTEN on {@value TranscriptChange#CHANNEL}, and every notification handed to
 * the streams of its recording. It is a connection of the reactive pool, so it is set up exactly as the pool's
 * (URL, credentials, TLS), held for as long as it lives. Notifications sent while no connection listens are lost,
 * so when it closes every open stream is ended (its client reconnects with Last-Event-ID and catches up), new streams
 * are refused until a new connection listens, and one is sought every second.
 */
@ApplicationScoped
public class TranscriptChangeListener {

    private static final Logger LOG = Logger.getLogger(TranscriptChangeListener.class);
    private static final long RETRY_MILLIS = 1000;
    private static final long STARTUP_WAIT_SECONDS = 5;

    private final Pool pool;
    private final Vertx vertx;
    private final LiveStreams streams;
    private final ObjectMapper mapper;
    private volatile SqlConnection connection;
    private volatile boolean stopping;
    private final CompletableFuture<Void> firstListen = new CompletableFuture<>();
    private volatile boolean lossReported;

    public TranscriptChangeListener(io.vertx.mutiny.sqlclient.Pool pool, io.vertx.mutiny.core.Vertx vertx,
            LiveStreams streams, ObjectMapper mapper) {
        this.pool = pool.getDelegate();
        this.vertx = vertx.getDelegate();
        this.streams = streams;
        this.mapper = mapper;
    }

    /**
     * Starts listening, and waits a few seconds for it on the start-up thread, so that the first streams after
     * start-up are not refused for a listener still on its way; without a database it carries on and keeps trying.
     */
    void start(@Observes StartupEvent started) {
        connect();
        try {
            firstListen.get(STARTUP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.debug("Starting before the transcript change listener listens");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopping = true;
        streams.listening(false);
        SqlConnection held = connection;
        if (held != null) {
            held.close();
        }
    }

    private void connect() {
        if (stopping) {
            return;
        }
        pool.getConnection().onSuccess(opened -> {
            PgConnection listener = PgConnection.cast(opened);
            listener.notificationHandler(notification -> {
                if (TranscriptChange.CHANNEL.equals(notification.getChannel())) {
                    deliver(notification.getPayload());
                }
            });
            listener.closeHandler(closed -> lost());
            connection = opened;
            opened.query("LISTEN " + TranscriptChange.CHANNEL).execute().onSuccess(done -> {
                streams.listening(true);
                firstListen.complete(null);
                if (lossReported) {
                    LOG.info("Listening for transcript changes again");
                    lossReported = false;
                }
            }).onFailure(failure -> opened.close());
        }).onFailure(failure -> {
            report(failure.getMessage());
            retry();
        });
    }

    private void lost() {
        connection = null;
        streams.listening(false);
        if (!stopping) {
            report("the connection closed");
            retry();
        }
    }

    private void report(String why) {
        if (!lossReported && !stopping) {
            LOG.warnf("Not listening for transcript changes (%s); open live streams were ended, new ones are refused "
                    + "until listening again", why);
            lossReported = true;
        }
    }

    private void retry() {
        if (!stopping) {
            vertx.setTimer(RETRY_MILLIS, timer -> connect());
        }
    }

    private void deliver(String payload) {
        TranscriptChange change;
        try {
            change = TranscriptChange.parse(mapper.readTree(payload));
        } catch (Exception unreadable) {
            LOG.warnf("An unreadable transcript change was ignored: %s", payload);
            return;
        }
        if (change != null) {
            streams.deliver(change);
        }
    }
}
