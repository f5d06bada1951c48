package dev.ems.device.config;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ems.device.identity.Credentials.Credential;
import dev.ems.device.system.DeviceApiProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What device-api keeps in memory per device, measured on its own structures with N devices (live
 * heap after a full GC, before and after, divided by N) — in a JVM of its own, because in a running
 * device-api the one-time allocations of the first events (Kafka clients' per-partition metrics,
 * lazily made producers) outweigh a few hundred devices (bench/device-api.sh).
 *
 * <ul>
 *   <li>the cached config: the real {@link ConfigCache} (Caffeine, as configured) holding a {@link
 *       PublishedConfig} per device with the fleet's real body bytes and a signature of the real
 *       length;
 *   <li>the rest, per device that has fetched: the certificate index ({@code Credentials}: by
 *       fingerprint and by device), the directory's tenant entry and the rate-limit bucket (the
 *       real {@code RateLimiter}), and the authenticator's fingerprint cache keyed by the forwarded
 *       header's text — the same maps with the same key and value types as in device-api.
 * </ul>
 *
 * <p>Usage: {@code ReadModelFootprint <config body file> <certificate header file> <signature
 * length> <n>}. Prints per device, in bytes: {@code cached-config}, {@code device} (certificate
 * index and directory: every device of the fleet, in every replica) and {@code fetching-device}
 * (fingerprint cache and rate-limit bucket: the devices that fetch from this replica).
 */
public final class ReadModelFootprint {

  public static void main(String[] args) throws Exception {
    byte[] body = Files.readAllBytes(Path.of(args[0]));
    String header = Files.readString(Path.of(args[1])).trim();
    int signatureLength = Integer.parseInt(args[2]);
    int n = Integer.parseInt(args[3]);
    DeviceApiProperties properties =
        new DeviceApiProperties(
            200_000,
            List.of("127.0.0.1"),
            "X-SSL-Client-Cert",
            120,
            60,
            Duration.ofMinutes(5),
            65536,
            new DeviceApiProperties.Pki("http://localhost", "k", Duration.ofSeconds(3), 2),
            "footprint");
    int cached = Math.min(n, properties.cacheMaxEntries());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    HexFormat hex = HexFormat.of();
    String tenant = "tenant-" + UUID.randomUUID();

    // made before the first measurement: they only point at what the maps hold anyway
    UUID[] devices = new UUID[n];
    String[] fingerprintsOf = new String[n];
    long before = liveHeap();
    ConfigCache cache = new ConfigCache(null, properties, new SimpleMeterRegistry());
    for (int i = 0; i < cached; i++) {
      byte[] copy = body.clone();
      copy[copy.length - 2] ^= (byte) i; // each device its own bytes
      String sha256 = hex.formatHex(sha.digest(copy));
      cache.offer(
          new PublishedConfig(
              UUID.randomUUID(),
              new String(tenant),
              1 + (i & 7),
              sha256,
              copy,
              "x".repeat(signatureLength - 1) + (char) ('a' + i % 26)));
    }
    long afterCache = liveHeap();

    // device-api's per-device maps, with the same types (Credentials, DeviceDirectory,
    // DeviceAuthenticator's fingerprint cache) and the real rate limiter
    var byFingerprint = new ConcurrentHashMap<String, Credential>();
    var byDevice = new ConcurrentHashMap<UUID, Set<String>>();
    var tenants = new ConcurrentHashMap<UUID, String>();
    Cache<Object, String> fingerprints = Caffeine.newBuilder().maximumSize(200_000).build();
    Object limiter = rateLimiter(properties);
    var acquire = limiter.getClass().getMethod("acquire", Object.class);
    String internedTenant = tenant.intern();
    for (int i = 0; i < n; i++) {
      UUID device = UUID.randomUUID();
      String fingerprint = hex.formatHex(sha.digest(device.toString().getBytes()));
      byFingerprint.put(
          fingerprint, new Credential(device, internedTenant, "SERIAL-" + i, Instant.now(), false));
      byDevice.computeIfAbsent(device, d -> ConcurrentHashMap.newKeySet()).add(fingerprint);
      tenants.put(device, internedTenant);
      devices[i] = device;
      fingerprintsOf[i] = fingerprint;
    }
    long afterCredentials = liveHeap();
    // what a device that fetches from this replica leaves: its header's fingerprint, its bucket
    for (int i = 0; i < n; i++) {
      // the header text differs per device; its length is the real one
      fingerprints.put(
          header.substring(0, header.length() - 8) + String.format("%08d", i), fingerprintsOf[i]);
      acquire.invoke(limiter, devices[i]);
    }
    long afterFetch = liveHeap();
    System.out.printf(
        "cached-config %d%ndevice %d%nfetching-device %d%n",
        (afterCache - before) / cached,
        (afterCredentials - afterCache) / n,
        (afterFetch - afterCredentials) / n);
    // everything stays reachable until measured
    java.lang.ref.Reference.reachabilityFence(cache);
    java.lang.ref.Reference.reachabilityFence(byFingerprint);
    java.lang.ref.Reference.reachabilityFence(byDevice);
    java.lang.ref.Reference.reachabilityFence(tenants);
    java.lang.ref.Reference.reachabilityFence(fingerprints);
    java.lang.ref.Reference.reachabilityFence(limiter);
    java.lang.ref.Reference.reachabilityFence(devices);
    java.lang.ref.Reference.reachabilityFence(fingerprintsOf);
  }

  private static Object rateLimiter(DeviceApiProperties properties) throws Exception {
    Class<?> type = Class.forName("dev.ems.device.ratelimit.RateLimiter");
    Constructor<?> constructor =
        type.getDeclaredConstructor(
            DeviceApiProperties.class, io.micrometer.core.instrument.MeterRegistry.class);
    constructor.setAccessible(true);
    return constructor.newInstance(properties, new SimpleMeterRegistry());
  }

  private static long liveHeap() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
