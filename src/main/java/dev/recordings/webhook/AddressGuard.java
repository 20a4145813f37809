package dev.recordings.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.recordings.config.RecordingsConfig;
import io.smallrye.mutiny.Uni;

/**
 * Keeps webhook deliveries out of the service's own network: a URL's host must resolve only to public addresses,
 * checked when an endpoint is saved and again before every attempt (a DNS answer can change), and the attempt goes
 * to the address that was checked. A refusal says the same whether the name does not resolve or resolves to a
 * private address, so the check tells nobody which internal names exist.
 */
@ApplicationScoped
public class AddressGuard {

    /** What every refusal says. */
    static final String REFUSED = "its host does not resolve to a public address";
    /** A lookup's longest wait; a name that takes longer is refused like one that does not resolve. */
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);
    private static final int LOOKUP_THREADS = 4;
    private static final int LOOKUPS_WAITING = 256;

    /** The system's resolver (InetAddress), or a test's. */
    interface Lookup {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final boolean allowHttp;
    private final Lookup lookup;
    private final Duration timeout;
    /**
     * The JDK's resolver blocks its thread (and honours /etc/hosts and the search domains as the pod's resolver
     * does): lookups get threads of their own, so a slow DNS server holds neither an event loop nor the worker pool
     * that requests share, and past {@value #LOOKUPS_WAITING} waiting a lookup is refused at once.
     */
    private final ExecutorService lookups = new ThreadPoolExecutor(LOOKUP_THREADS, LOOKUP_THREADS, 30,
            TimeUnit.SECONDS, new ArrayBlockingQueue<>(LOOKUPS_WAITING), runnable -> {
                Thread thread = new Thread(runnable, "webhook-address-lookup");
                thread.setDaemon(true);
                return thread;
            });

    @Inject
    public AddressGuard(RecordingsConfig config) {
        this(config.webhooks().allowPrivate(), config.webhooks().allowHttp(), InetAddress::getAllByName,
                LOOKUP_TIMEOUT);
    }

    AddressGuard(boolean allowPrivate, boolean allowHttp, Lookup lookup, Duration timeout) {
        this.allowPrivate = allowPrivate;
        this.allowHttp = allowHttp;
        this.lookup = lookup;
        this.timeout = timeout;
        ((ThreadPoolExecutor) lookups).allowCoreThreadTimeOut(true);
    }

    @PreDestroy
    void close() {
        lookups.shutdownNow();
    }

    /** Whether the URL's scheme may receive webhooks: https, and http where allowed (development, tests). */
    public boolean allowsScheme(URI url) {
        return "https".equalsIgnoreCase(url.getScheme()) || allowHttp && "http".equalsIgnoreCase(url.getScheme());
    }

    /** The host's first address, when all its addresses are public; else a {@link Refused} failure. */
    public Uni<InetAddress> resolve(URI url) {
        return Uni.createFrom().<InetAddress[]>emitter(emitter -> {
            try {
                lookups.execute(() -> {
                    try {
                        emitter.complete(lookup.addresses(url.getHost()));
                    } catch (UnknownHostException | RuntimeException e) {
                        emitter.fail(new Refused(REFUSED));
                    }
                });
            } catch (RejectedExecutionException busy) {
                emitter.fail(new Refused(REFUSED));
            }
        }).ifNoItem().after(timeout).failWith(() -> new Refused(REFUSED)).map(addresses -> {
            for (InetAddress address : addresses) {
                if (!allowPrivate && !isPublic(address)) {
                    throw new Refused(REFUSED);
                }
            }
            return addresses[0];
        });
    }

    /** Why a URL may not be called. */
    public static final class Refused extends RuntimeException {
        Refused(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Not loopback (127/8, ::1), private (RFC 1918 and the RFC 4193 unique local fc00::/7), shared (carrier-grade
     * NAT, 100.64/10), benchmarking (198.18/15), reserved (240/4, with the broadcast address), link-local
     * (169.254/16, with the cloud metadata address, and fe80::/10), unspecified (0/8, ::) or multicast. An IPv4
     * address carried in IPv6 (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) is
     * judged as that IPv4 address: each is a route to it.
     */
    static boolean isPublic(InetAddress address) {
        if (address instanceof Inet6Address six) {
            byte[] bytes = six.getAddress();
            byte[] carried = carriedIpv4(bytes);
            if (carried != null) {
                return isPublicIpv4(carried);
            }
            if ((bytes[0] & 0xfe) == 0xfc) {
                return false;
            }
        } else {
            return isPublicIpv4(address.getAddress());
        }
        return !(address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress());
    }

    private static boolean isPublicIpv4(byte[] ip) {
        int a = ip[0] & 0xff;
        int b = ip[1] & 0xff;
        return !(a == 0 || a == 10 || a == 127 || a >= 224
                || a == 100 && b >= 64 && b <= 127
                || a == 169 && b == 254
                || a == 172 && b >= 16 && b <= 31
                || a == 192 && b == 168
                || a == 198 && (b == 18 || b == 19)
                || a == 192 && b == 0 && (ip[2] & 0xff) == 0);
    }

    /** The IPv4 address an IPv6 address carries, or null when it carries none. */
    private static byte[] carriedIpv4(byte[] bytes) {
        if (bytes[0] == 0x20 && bytes[1] == 0x02) {
            return new byte[] { bytes[2], bytes[3], bytes[4], bytes[5] };
        }
        boolean nat64 = (bytes[0] & 0xff) == 0x00 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff
                && (bytes[3] & 0xff) == 0x9b && zero(bytes, 4, 12);
        boolean mapped = zero(bytes, 0, 10) && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
        // ::a.b.c.d, but not :: or ::1, which are judged as IPv6
        boolean compatible = zero(bytes, 0, 12) && !(zero(bytes, 12, 15) && (bytes[15] & 0xff) <= 1);
        return nat64 || mapped || compatible ? new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] } : null;
    }

    private static boolean zero(byte[] bytes, int from, int to) {
        for (int index = from; index < to; index++) {
            if (bytes[index] != 0) {
                return false;
            }
        }
        return true;
    }
}
