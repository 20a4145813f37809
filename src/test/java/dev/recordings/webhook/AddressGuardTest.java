package dev.recordings.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** Which addresses a webhook may go to, and how a name is looked up: pure rules, no application. */
class AddressGuardTest {

    @Test
    void aLookupRunsOnThreadsOfItsOwnAndGivesUpAfterItsTimeout() {
        AtomicReference<String> thread = new AtomicReference<>();
        AddressGuard guard = new AddressGuard(false, false, host -> {
            thread.set(Thread.currentThread().getName());
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        }, Duration.ofMillis(300));
        try {
            long started = System.nanoTime();
            AddressGuard.Refused refused = assertThrows(AddressGuard.Refused.class,
                    () -> guard.resolve(URI.create("https://slow.example/")).await().atMost(Duration.ofSeconds(10)));
            long took = (System.nanoTime() - started) / 1_000_000;
            assertEquals(AddressGuard.REFUSED, refused.getMessage());
            assertTrue(took < 5_000, "gave up after " + took + " ms");
            assertEquals("webhook-address-lookup", thread.get(), "not an event loop or the shared worker pool");
        } finally {
            guard.close();
        }
    }

    @Test
    void aNameThatDoesNotResolveIsRefusedInTheWordsOfAPrivateAddress() throws Exception {
        InetAddress internal = InetAddress.getByName("10.1.2.3");
        AddressGuard unresolved = new AddressGuard(false, false, host -> {
            throw new UnknownHostException(host);
        }, Duration.ofSeconds(5));
        AddressGuard resolvesInside = new AddressGuard(false, false, host -> new InetAddress[] { internal },
                Duration.ofSeconds(5));
        try {
            String first = assertThrows(AddressGuard.Refused.class, () -> unresolved
                    .resolve(URI.create("https://db.internal/")).await().atMost(Duration.ofSeconds(5))).getMessage();
            String second = assertThrows(AddressGuard.Refused.class, () -> resolvesInside
                    .resolve(URI.create("https://db.internal/")).await().atMost(Duration.ofSeconds(5))).getMessage();
            assertEquals(first, second);
        } finally {
            unresolved.close();
            resolvesInside.close();
        }
    }

    private static boolean isPublic(String address) throws Exception {
        return AddressGuard.isPublic(InetAddress.getByName(address));
    }

    @Test
    void theServicesOwnNetworkIsRefused() throws Exception {
        for (String refused : new String[] { "127.0.0.1", "127.8.9.10", "::1", "10.1.2.3", "172.16.0.1",
                "172.31.255.255", "192.168.1.1", "169.254.169.254", "169.254.0.1", "fe80::1", "fd12:3456::1",
                "fc00::1", "0.0.0.0", "::", "0.1.2.3", "224.0.0.1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                // shared (CGNAT), benchmarking, reserved and broadcast
                "100.64.0.1", "100.127.255.254", "198.18.0.1", "198.19.255.1", "240.0.0.1", "255.255.255.255",
                // IPv4 carried in IPv6: NAT64, 6to4, IPv4-compatible
                "64:ff9b::a00:1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2002:a00:1::", "2002:7f00:1::1",
                "2002:c0a8:101::", "::10.0.0.1", "::127.0.0.1", "::169.254.169.254" }) {
            assertFalse(isPublic(refused), refused);
        }
    }

    @Test
    void publicAddressesAreAllowed() throws Exception {
        for (String allowed : new String[] { "8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "2606:4700::1111",
                "100.63.255.255", "100.128.0.1", "198.20.0.1", "64:ff9b::808:808", "2002:808:808::", "::8.8.8.8",
                "2001:db9::1" }) {
            assertTrue(isPublic(allowed), allowed);
        }
    }
}
