package dev.recordings.transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.recordings.config.RecordingsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;

/**
 * The closed chunks of recently answered transcripts, as the bytes a full answer is made of, so that the database
 * sends a full answer only its open chunk and the chunks closed since.
 * <p>
 * A chunk is closed once the next one is begun (its 16 segments are stored): appends never write it again; only a
 * replacement by id, a speaker rename, a replacement of the whole transcript (or a status change, which shares the
 * number) do, and each of them moves the recording's {@code change_seq} in the same transaction. An entry is kept
 * with the {@code change_seq} it was read at, and the statement that uses it compares that number itself, in the
 * snapshot it reads the rest in: on a match it sends the chunks from the first one the entry lacks, otherwise the
 * whole transcript. So bytes written on any replica can never be answered stale here, and a replica that misses
 * reads the whole transcript once.
 * <p>
 * Bounded by weight (the bytes held, {@code recordings.transcript-cache-size}), least recently used out first; an
 * entry never holds more than a quarter of it, so one long meeting cannot empty the cache for the others.
 */
@ApplicationScoped
public class TranscriptCache {

    /** What the cache holds of one transcript: its first {@code chunks()} chunks as of {@code changeSeq}. */
    public record Entry(int changeSeq, TranscriptPart[] texts, TranscriptPart[] segments, long weight) {

        public int chunks() {
            return texts.length;
        }

        /** Whether this is at least as recent as {@code other}: change numbers only grow, closed chunks only add. */
        boolean supersedes(Entry other) {
            return changeSeq > other.changeSeq || changeSeq == other.changeSeq && chunks() >= other.chunks();
        }
    }

    /** Per chunk, besides its bytes: two records, two buffers and the arrays' slots. */
    private static final int CHUNK_OVERHEAD = 160;

    private final Cache<UUID, Entry> entries;
    private final long largestEntry;
    private final Counter hits;
    private final Counter misses;

    public TranscriptCache(RecordingsConfig config, MeterRegistry metrics) {
        long size = config.transcriptCacheSize().asLongValue();
        this.largestEntry = size / 4;
        this.entries = size <= 0 ? null
                : Caffeine.newBuilder().maximumWeight(size)
                        .weigher((UUID id, Entry entry) -> (int) Math.min(Integer.MAX_VALUE, entry.weight()))
                        .build();
        this.hits = Counter.builder("recordings.transcript.cache.reads").tag("result", "hit")
                .description("Full transcript answers that took closed chunks from this replica's cache")
                .register(metrics);
        this.misses = Counter.builder("recordings.transcript.cache.reads").tag("result", "miss")
                .description("Full transcript answers that read every chunk from the database").register(metrics);
    }

    /** The entry of a recording, or null: what the next read of it may ask the database to leave out. */
    public Entry find(UUID recording) {
        return entries == null ? null : entries.getIfPresent(recording);
    }

    /**
     * The whole transcript's parts, from the cached entry's chunks before {@code from} ({@code used}, the entry the
     * statement was given; null when {@code from} is 0) and the parts the database sent from chunk {@code from} on
     * ({@code sent}: with text, every text part and then every segments part). The first {@code closedChunks}
     * chunks are remembered as of {@code changeSeq}.
     */
    public List<TranscriptPart> parts(UUID recording, Entry used, int from, int changeSeq, int closedChunks,
            List<TranscriptPart> sent) {
        if (from > 0 && (used == null || used.chunks() != from)) {
            throw new IllegalStateException("the database left out chunks this replica did not offer");
        }
        (from > 0 ? hits : misses).increment();
        int sentChunks = sent.size() / 2;
        TranscriptPart[] texts = new TranscriptPart[from + sentChunks];
        TranscriptPart[] segments = new TranscriptPart[from + sentChunks];
        if (from > 0) {
            System.arraycopy(used.texts(), 0, texts, 0, from);
            System.arraycopy(used.segments(), 0, segments, 0, from);
        }
        for (int index = 0; index < sentChunks; index++) {
            texts[from + index] = sent.get(index);
            segments[from + index] = sent.get(sentChunks + index);
        }
        remember(recording, changeSeq, closedChunks, texts, segments, from > 0 ? used : null);
        List<TranscriptPart> parts = new ArrayList<>(texts.length * 2);
        parts.addAll(Arrays.asList(texts));
        parts.addAll(Arrays.asList(segments));
        return parts;
    }

    /**
     * The parts of a whole transcript read from a cursor, passed on as they come; once they are all through, its
     * first {@code closedChunks} chunks are remembered as of {@code changeSeq}, unless they weigh more than an entry
     * may.
     */
    public Multi<TranscriptPart> remembering(UUID recording, int changeSeq, int closedChunks,
            Multi<TranscriptPart> parts) {
        if (entries == null) {
            return parts;
        }
        misses.increment();
        List<TranscriptPart> texts = new ArrayList<>();
        List<TranscriptPart> segments = new ArrayList<>();
        long[] weight = { 0 };
        return parts.onItem().invoke(part -> {
            if (weight[0] <= largestEntry) {
                (part.segments() ? segments : texts).add(part);
                weight[0] += part.json().length() + CHUNK_OVERHEAD / 2;
            }
        }).onCompletion().invoke(() -> {
            if (weight[0] <= largestEntry && texts.size() == segments.size()) {
                remember(recording, changeSeq, closedChunks, texts.toArray(TranscriptPart[]::new),
                        segments.toArray(TranscriptPart[]::new), null);
            }
        });
    }

    private void remember(UUID recording, int changeSeq, int closedChunks, TranscriptPart[] texts,
            TranscriptPart[] segments, Entry used) {
        if (entries == null) {
            return;
        }
        int closed = Math.min(texts.length, closedChunks);
        if (used != null && used.chunks() == closed) {
            return; // nothing closed since: the entry in use is already what this read would make
        }
        long weight = used == null ? 0 : used.weight();
        for (int chunk = used == null ? 0 : used.chunks(); chunk < closed; chunk++) {
            weight += texts[chunk].json().length() + segments[chunk].json().length() + CHUNK_OVERHEAD;
        }
        if (weight > largestEntry) {
            entries.invalidate(recording);
            return;
        }
        Entry entry = new Entry(changeSeq, Arrays.copyOf(texts, closed), Arrays.copyOf(segments, closed), weight);
        entries.asMap().merge(recording, entry, (held, offered) -> offered.supersedes(held) ? offered : held);
    }

    /** Forgets a recording that is no longer there. */
    public void forget(UUID recording) {
        if (entries != null) {
            entries.invalidate(recording);
        }
    }
}
