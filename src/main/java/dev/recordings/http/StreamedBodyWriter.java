package dev.recordings.http;

import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.concurrent.Flow;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerHttpResponse;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import io.vertx.core.buffer.Buffer;

/**
 * Writes a {@link StreamedBody} as a chunked answer, without blocking: pieces are gathered up to {@link #FLUSH_AT}
 * bytes, written, and the next pieces are asked for only once the write has been accepted, so a slow client slows
 * the database cursor behind the stream instead of filling memory. Written the way Quarkus writes its own
 * {@code AsyncFile} answers (suspend the request, write, end, resume): Quarkus REST streams a {@code Multi} only as
 * a JSON array or as server-sent events, and an answer here is one JSON object or one file.
 */
@Provider
@Produces(MediaType.WILDCARD)
public class StreamedBodyWriter implements ServerMessageBodyWriter<StreamedBody> {

    private static final Logger LOG = Logger.getLogger(StreamedBodyWriter.class);
    private static final int FLUSH_AT = 32 * 1024;

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target,
            MediaType mediaType) {
        return StreamedBody.class.equals(type);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return StreamedBody.class.equals(type);
    }

    @Override
    public void writeResponse(StreamedBody stream, Type genericType, ServerRequestContext context) {
        ResteasyReactiveRequestContext request = (ResteasyReactiveRequestContext) context;
        request.suspend();
        ServerHttpResponse response = context.serverResponse();
        response.setChunked(true);
        stream.pieces().subscribe().withSubscriber(new PieceWriter(request, response, stream.live() ? 1 : FLUSH_AT));
    }

    @Override
    public void writeTo(StreamedBody stream, Class<?> type, Type genericType, Annotation[] annotations,
            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream output) {
        throw new UnsupportedOperationException("A StreamedBody cannot be written through a WriterInterceptor");
    }

    private static final class PieceWriter implements Flow.Subscriber<io.vertx.mutiny.core.buffer.Buffer> {

        private final ResteasyReactiveRequestContext request;
        private final ServerHttpResponse response;
        private Flow.Subscription subscription;
        private final int flushAt;
        private Buffer pending;
        private boolean done;

        PieceWriter(ResteasyReactiveRequestContext request, ServerHttpResponse response, int flushAt) {
            this.request = request;
            this.response = response;
            this.flushAt = flushAt;
            this.pending = Buffer.buffer(flushAt);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            // a client that goes away stops the stream, and with it the cursor and its connection
            response.addCloseHandler(() -> {
                if (!done) {
                    subscription.cancel();
                }
            });
            subscription.request(1);
        }

        @Override
        public void onNext(io.vertx.mutiny.core.buffer.Buffer piece) {
            pending.appendBuffer(piece.getDelegate());
            if (pending.length() < flushAt) {
                subscription.request(1);
                return;
            }
            byte[] bytes = pending.getBytes();
            pending = Buffer.buffer(flushAt);
            response.write(bytes, failure -> {
                if (failure == null) {
                    subscription.request(1);
                } else {
                    subscription.cancel();
                    fail(failure);
                }
            });
        }

        @Override
        public void onError(Throwable failure) {
            fail(failure);
        }

        @Override
        public void onComplete() {
            done = true;
            byte[] rest = pending.getBytes();
            pending = null;
            response.write(rest, failure -> {
                response.end();
                request.resume();
            });
        }

        private void fail(Throwable failure) {
            done = true;
            if (response.closed()) {
                // the client went away: nothing to answer, and the stream is cancelled already
                LOG.debugf("A client left before its answer ended: %s", failure.getMessage());
                request.resume();
            } else if (response.headWritten()) {
                // Half an answer cannot be taken back: cut the connection, so the client sees a broken answer and
                // not a short, valid-looking one.
                LOG.errorf(failure, "An answer failed after it had started; the connection is reset");
                response.reset();
                request.resume();
            } else {
                request.resume(failure);
            }
        }
    }
}
