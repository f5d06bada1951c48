package dev.ems.bench.diagnostics;

import dev.ems.common.event.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Samples the service's consumer lag on the telemetry topic every second; keeps the maximum. */
final class LagMonitor implements Runnable {

  private final AdminClient admin;
  private volatile boolean running = true;
  private volatile long max;
  private volatile long steadyMax = -1;
  private volatile double maxLoad;
  private double loadSum;
  private int loadSamples;

  LagMonitor(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    admin = AdminClient.create(p);
  }

  @Override
  public void run() {
    while (running) {
      try {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin
                .listConsumerGroupOffsets("diagnostic-service")
                .partitionsToOffsetAndMetadata()
                .get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().stream()
            .filter(tp -> tp.topic().equals(Topics.DEVICE_TELEMETRY))
            .forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        long lag = 0;
        for (var e : admin.listOffsets(latest).all().get().entrySet()) {
          lag += e.getValue().offset() - committed.get(e.getKey()).offset();
        }
        max = Math.max(max, lag);
        if (steadyMax >= 0) {
          steadyMax = Math.max(steadyMax, lag);
        }
        sampleLoad();
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // group not formed yet: sample again
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** The 1-minute load average of the machine (other work on it skews every figure). */
  private void sampleLoad() {
    try {
      double load =
          Double.parseDouble(
              java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
      synchronized (this) {
        maxLoad = Math.max(maxLoad, load);
        loadSum += load;
        loadSamples++;
      }
    } catch (Exception e) {
      // not Linux: no load figures
    }
  }

  synchronized String load() {
    return loadSamples == 0
        ? "n/a"
        : String.format("avg %.1f, max %.1f (1-min load average)", loadSum / loadSamples, maxLoad);
  }

  /** From now on, also keep the maximum separately (steady state, after the first interval). */
  void steady() {
    steadyMax = 0;
  }

  long steadyMax() {
    return steadyMax;
  }

  long max() {
    return max;
  }

  void stop() {
    running = false;
    admin.close();
  }
}
