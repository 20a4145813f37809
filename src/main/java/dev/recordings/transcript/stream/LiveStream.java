package dev.recordings.transcript.stream;

import java.util.ArrayDeque;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.recordings.transcript.AppendWatchers;
import dev.recordings.transcript.TranscriptStore;
import dev.recordings.transcript.TranscriptWindow;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * One open live transcript: what its client has been sent, and the changes it has still to send. Every field is
 * touched on the request's own Vert.x context only (changes, timers and reads are handed over with
 * {@code runOnContext}), so the stream needs no lock.
 * <p>
 * Segments go by position: the stream remembers how many it has sent, and on any change to the segments reads from
 * there to the current count. That is what keeps the seam between the catch-up and the live events exact. The stream
 * starts from its first read's count and change number: a change that commits before that read is in it, one that
 * commits after it moves one of the two, and the next poll hands it over.
 */
final class LiveStream {

    private static final Logger LOG = Logger.getLogger(LiveStream.class);
    /** Segments per read: about 200 KB of JSON, so a long catch-up passes through memory a piece at a time. */
    static final int READ_AT_MOST = 1024;
    /**
     * Changes a stream holds while its client does not read; beyond, the stream ends and the client reconnects
     * with Last-Event-ID, rather than the pod hold an unbounded backlog for it.
     */
    static final int QUEUED_AT_MOST = 1000;

    final UUID recording;
    final long project;
    final UUID keyId;
    final Context context;
    /** The recording's segment count and last change number as this stream knows them; LiveStreams' poll's. */
    volatile int seenCount;
    volatile int seenChange;
    private final TranscriptStore transcripts;
    private final LiveStreams.SegmentEvents segmentEvents;
    private final Consumer<LiveStream> onEnd;

    private final ArrayDeque<StreamChange> changes = new ArrayDeque<>();
    private MultiEmitter<? super Buffer> emitter;
    /** Segments 0 … position - 1 have been sent (or the client had them). */
    private int position;
    /** Every logged change up to this number is queued or sent. */
    private int queuedChange;
    /** While the first event is still being read in pieces: the segment count it ends at; else -1. */
    private int catchUpUntil = -1;
    /** Written when the client asks for more. */
    private String outbox;
    private boolean reading;
    private boolean ended;

    LiveStream(UUID recording, long project, UUID keyId, Context context, TranscriptStore transcripts,
            LiveStreams.SegmentEvents segmentEvents, Consumer<LiveStream> onEnd) {
        this.recording = recording;
        this.project = project;
        this.keyId = keyId;
        this.context = context;
        this.transcripts = transcripts;
        this.segmentEvents = segmentEvents;
        this.onEnd = onEnd;
    }

    /** The events, beginning with the catch-up from the first read (segments from {@code first.from()} on). */
    Multi<Buffer> events(TranscriptWindow first) {
        return Multi.createFrom().emitter(emitter -> context.runOnContext(nothing -> begin(emitter, first)));
    }

    void deliver(StreamChange change) {
        context.runOnContext(nothing -> enqueue(change));
    }

    /** The logged changes of the recording up to number {@code changeSeq}, in their order. */
    void deliver(List<StreamChange> logged, int changeSeq) {
        context.runOnContext(nothing -> {
            for (StreamChange change : logged) {
                if (!enqueue(change)) {
                    return;
                }
            }
            queuedChange = Math.max(queuedChange, changeSeq);
        });
    }

    /** The recording holds {@code count} segments: unless they have all been sent, they are read. */
    void moreUpTo(int count) {
        context.runOnContext(nothing -> {
            if (position >= count && changes.isEmpty() && !reading && catchUpUntil < 0) {
                return; // sent from memory already (appended), nothing to read
            }
            enqueue(StreamChange.more(recording));
        });
    }

    /**
     * Segments an append on this replica stored, sent as they are when they follow exactly what this stream has
     * sent: every segment before them, and every logged change up to the append's change number, with nothing
     * queued or being read. Otherwise they are left to the poll, which reads them from the database; so the events
     * are those a read would make, in the same order.
     */
    void appended(AppendWatchers.SegmentsAppended appended) {
        context.runOnContext(nothing -> {
            if (ended || emitter == null || catchUpUntil >= 0 || reading || outbox != null || !changes.isEmpty()
                    || appended.start() != position || appended.changeSeq() != queuedChange) {
                return;
            }
            outbox = ServerSentEvents.segments(appended.count(), appended.start(), appended.segments());
            position = appended.count();
            segmentEvents.fromMemory().increment();
            pump();
        });
    }

    /** Queues a change; false when the stream has ended (or ends now: its client reads too slowly). */
    private boolean enqueue(StreamChange change) {
        if (ended) {
            return false;
        }
        if (changes.size() >= QUEUED_AT_MOST) {
            LOG.infof("A live stream of %s ended: its client reads too slowly", recording);
            end();
            return false;
        }
        changes.add(change);
        pump();
        return true;
    }

    void keepAlive() {
        context.runOnContext(nothing -> {
            if (!ended && emitter != null && outbox == null && catchUpUntil < 0 && emitter.requested() > 0) {
                emit(ServerSentEvents.KEEP_ALIVE);
            }
        });
    }

    /** Ends the stream (shutdown, a revoked key): the client may reconnect. */
    void close() {
        context.runOnContext(nothing -> end());
    }

    private void begin(MultiEmitter<? super Buffer> emitter, TranscriptWindow first) {
        this.emitter = emitter;
        emitter.onRequest(requested -> context.runOnContext(nothing -> pump()));
        emitter.onTermination(() -> context.runOnContext(nothing -> end()));
        if (ended) {
            emitter.complete();
            return;
        }
        int start = Math.min(first.from(), first.count());
        position = first.end();
        queuedChange = first.changeSeq();
        if (first.end() < first.count()) {
            catchUpUntil = first.count();
            outbox = ServerSentEvents.segmentsOpening(first.count(), start) + first.segments();
        } else {
            outbox = ServerSentEvents.segments(first.count(), start, first.segments());
        }
        pump();
    }

    private void pump() {
        while (!ended && emitter != null && emitter.requested() > 0) {
            if (outbox != null) {
                String event = outbox;
                outbox = null;
                emit(event);
                continue;
            }
            if (reading) {
                return;
            }
            if (catchUpUntil >= 0) {
                readCatchUp();
                return;
            }
            StreamChange change = changes.peek();
            if (change == null) {
                return;
            }
            switch (change.kind()) {
                case SEGMENTS, TRANSCRIPT -> {
                    readSegments();
                    return;
                }
                case SPEAKER_RENAMED -> outbox = ServerSentEvents.speakerRenamed(change.from(), change.to(),
                        change.renamed());
                case STATUS -> outbox = ServerSentEvents.status(change.status());
                case DELETED -> {
                    emit(ServerSentEvents.deleted(recording));
                    end();
                    return;
                }
            }
            changes.poll();
        }
    }

    /** The next piece of the first event, which is longer than one read. */
    private void readCatchUp() {
        int until = Math.min(catchUpUntil, position + READ_AT_MOST);
        read(position, until, StreamChange.NONE, window -> {
            if (window.end() < until) {
                // The transcript was replaced by a shorter one while the first event was being written: the event
                // cannot be completed truthfully, so the connection is cut and the client reconnects.
                fail(new IllegalStateException("the transcript shrank during a catch-up"));
                return;
            }
            position = window.end();
            StringBuilder piece = new StringBuilder(window.segments().length() + 8).append(',')
                    .append(window.segments());
            if (position >= catchUpUntil) {
                catchUpUntil = -1;
                piece.append(ServerSentEvents.SEGMENTS_CLOSING);
            }
            outbox = piece.toString();
        });
    }

    /**
     * Reads what the queued segment changes at the head of the queue need, in one read: new segments from the
     * position, and the sent positions replaced in place. A replaced transcript (or a batch that replaced more
     * segments than its log row lists) sends everything from the first changed position again, as a
     * segments event whose start is below the client's count.
     */
    private void readSegments() {
        int from = position;
        TreeSet<Integer> replaced = new TreeSet<>();
        while (!changes.isEmpty() && changes.peek().kind().touchesSegments()) {
            StreamChange change = changes.poll();
            if (change.kind() == StreamChange.Kind.TRANSCRIPT) {
                from = 0;
            } else {
                if (change.replacedFrom() != null) {
                    from = Math.min(from, change.replacedFrom());
                }
                for (int index : change.replaced()) {
                    replaced.add(index);
                }
            }
        }
        int start = from;
        boolean rewind = start < position;
        int[] sentAndReplaced = replaced.headSet(start).stream().mapToInt(Integer::intValue).toArray();
        read(start, start + READ_AT_MOST, sentAndReplaced, window -> {
            int first = Math.min(start, window.count());
            StringBuilder events = new StringBuilder();
            if (window.end() > first || rewind) {
                events.append(ServerSentEvents.segments(window.end(), first, window.segments()));
                segmentEvents.fromDatabase().increment();
            }
            position = Math.max(first, window.end());
            for (TranscriptWindow.Replaced segment : window.replaced()) {
                events.append(ServerSentEvents.replaced(position, segment.position(), segment.segment()));
            }
            if (window.end() < window.count()) {
                changes.addFirst(StreamChange.more(recording));
            }
            outbox = events.isEmpty() ? null : events.toString();
        });
    }

    private void read(int from, int until, int[] replaced, Consumer<TranscriptWindow> then) {
        reading = true;
        transcripts.window(project, recording, from, until, replaced).subscribe().with(
                window -> context.runOnContext(nothing -> {
                    reading = false;
                    if (ended) {
                        return;
                    }
                    if (window == null) {
                        // deleted: the poll may not have seen it yet, the answer is the same
                        changes.clear();
                        changes.add(StreamChange.deleted(recording));
                    } else {
                        then.accept(window);
                    }
                    pump();
                }),
                failure -> context.runOnContext(nothing -> fail(failure)));
    }

    private void emit(String text) {
        emitter.emit(Buffer.buffer(text));
    }

    private void fail(Throwable failure) {
        reading = false;
        if (ended) {
            return;
        }
        LOG.warnf("A live stream of %s ended on a failure: %s", recording, failure.getMessage());
        ended = true;
        onEnd.accept(this);
        emitter.fail(failure);
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        onEnd.accept(this);
        if (emitter != null) {
            emitter.complete();
        }
    }
}
