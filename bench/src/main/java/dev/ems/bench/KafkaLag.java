package dev.ems.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer lag on one topic, per consumer group that has committed offsets on it: the end
 * offset minus the committed offset, summed over the topic's partitions. Prints {@code group lag}
 * lines (bench/heartbeats.sh reads diagnostic-service's).
 *
 * <p>Usage: {@code KafkaLag <bootstrap> <topic>}.
 */
public final class KafkaLag {

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    String topic = args[1];
    try (Admin admin = Admin.create(props)) {
      Map<String, Long> lags = new TreeMap<>();
      for (ConsumerGroupListing group : admin.listConsumerGroups().all().get()) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().stream()
            .filter(tp -> tp.topic().equals(topic))
            .forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        if (latest.isEmpty()) {
          continue;
        }
        long lag = 0;
        for (var end : admin.listOffsets(latest).all().get().entrySet()) {
          OffsetAndMetadata at = committed.get(end.getKey());
          lag += end.getValue().offset() - (at == null ? 0 : at.offset());
        }
        lags.put(group.groupId(), lag);
      }
      lags.forEach((group, lag) -> System.out.println(group + " " + lag));
    }
  }
}
