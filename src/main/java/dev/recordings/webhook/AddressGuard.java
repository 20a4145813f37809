package dev.recordings.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

import dev.recordings.config.RecordingsConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Keeps webhook deliveries out of the service's own network: a URL's host must resolve only to public addresses,
 * checked when an endpoint is saved and again before every attempt (a DNS answer can change), and the attempt goes
 * to the address that was checked.
 */
@ApplicationScoped
public class AddressGuard {

    private final boolean allowPrivate;

    public AddressGuard(RecordingsConfig config) {
        this.allowPrivate = config.webhooks().allowPrivate();
    }

    /** The host's addresses, resolved off the event loop (the JDK's resolver blocks); all public, or a failure. */
    public Uni<InetAddress> resolve(URI url) {
        return Uni.createFrom().item(() -> {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(url.getHost());
            } catch (UnknownHostException e) {
                throw new Refused("its host name does not resolve");
            }
            for (InetAddress address : addresses) {
                if (!allowPrivate && !isPublic(address)) {
                    throw new Refused("its host is, or resolves to, a loopback, private, link-local or unspecified "
                            + "address");
                }
            }
            return addresses[0];
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Why a URL may not be called. */
    public static final class Refused extends RuntimeException {
        Refused(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Not loopback (127/8, ::1), private (RFC 1918 and the RFC 4193 unique local fc00::/7), link-local (169.254/16,
     * with the cloud metadata address, and fe80::/10), unspecified (0.0.0.0, ::) or multicast; IPv4 addresses
     * written as IPv6 are judged as IPv4. The JDK names each class but the unique local one.
     */
    static boolean isPublic(InetAddress address) {
        InetAddress judged = address;
        if (address instanceof Inet6Address six) {
            byte[] bytes = six.getAddress();
            if (isMappedIpv4(bytes)) {
                try {
                    judged = InetAddress.getByAddress(new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] });
                } catch (UnknownHostException e) {
                    return false;
                }
            } else if ((bytes[0] & 0xfe) == 0xfc) {
                return false;
            }
        }
        return !(judged.isLoopbackAddress() || judged.isSiteLocalAddress() || judged.isLinkLocalAddress()
                || judged.isAnyLocalAddress() || judged.isMulticastAddress() || (judged.getAddress().length == 4
                        && (judged.getAddress()[0] & 0xff) == 0));
    }

    private static boolean isMappedIpv4(byte[] bytes) {
        for (int index = 0; index < 10; index++) {
            if (bytes[index] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }
}
