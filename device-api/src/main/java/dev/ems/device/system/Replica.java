package dev.ems.device.system;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.stereotype.Component;

/**
 * This device-api replica among the others. Each replica holds the certificates, revocations,
 * decommissioned devices and configs in memory, so each must see every event that changes them: the
 * listeners that feed those caches consume in a consumer group of the replica's own ({@link
 * #CACHE_GROUP}), not in the group the replicas share, where each would get only its share of the
 * partitions and could miss a revocation. Their writes to the read model are idempotent, so N
 * replicas writing the same event leave one result. Pending commands are not a cache: they wait in
 * the database and are taken once, so their listener stays in the shared group.
 *
 * <p>A replica that keeps its name keeps its group, and resumes where it stopped; a new name is a
 * new group, which starts from the oldest retained event and replays it into the read model
 * (idempotent, and ordered per device).
 */
@Component(Replica.BEAN)
public class Replica {

  static final String BEAN = "deviceApiReplica";

  /** The {@code groupId} of a cache-feeding {@code @KafkaListener}: the replica's own group. */
  public static final String CACHE_GROUP = "#{@" + BEAN + ".cacheGroup()}";

  private final String instanceId;

  Replica(DeviceApiProperties properties) {
    String configured = properties.instanceId();
    this.instanceId = configured == null || configured.isBlank() ? hostName() : configured.strip();
  }

  /** The replica's name: {@code device-api.instance-id}, else the host's name. */
  public String instanceId() {
    return instanceId;
  }

  public String cacheGroup() {
    return "device-api-cache-" + instanceId;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(
          "This host has no name: set device-api.instance-id (DEVICE_API_INSTANCE_ID)", e);
    }
  }
}
