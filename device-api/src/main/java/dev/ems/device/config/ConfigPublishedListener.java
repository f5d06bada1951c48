package dev.ems.device.config;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.Topics;
import dev.ems.device.system.Replica;
import dev.ems.platform.kafka.EventReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Takes every published configuration into the read model and the cache. */
@Component
class ConfigPublishedListener {

  private final EventReader events;
  private final PublishedConfigs store;
  private final ConfigCache cache;
  private final JsonMapper json;

  ConfigPublishedListener(
      EventReader events, PublishedConfigs store, ConfigCache cache, JsonMapper json) {
    this.events = events;
    this.store = store;
    this.cache = cache;
    this.json = json;
  }

  @KafkaListener(topics = Topics.SC_CONFIGS, groupId = Replica.CACHE_GROUP)
  void on(ConsumerRecord<String, byte[]> record) {
    if (!events.is(record, ConfigPublished.class)) {
      return;
    }
    EventEnvelope<ConfigPublished> event = events.decode(record, ConfigPublished.class);
    ConfigPublished published = event.payload();
    var config =
        new PublishedConfig(
            published.deviceId(),
            event.tenant(),
            published.version(),
            published.sha256(),
            body(published),
            published.signature());
    store.storeIfNewer(config, published.publishedAt());
    // every replica's cache takes it, also when another replica stored it first; the cache keeps
    // the newer of two versions, so a redelivered older one changes nothing
    cache.offer(config);
  }

  private byte[] body(ConfigPublished published) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("deviceId", published.deviceId());
    body.put("version", published.version());
    body.put("sha256", published.sha256());
    body.put("publishedAt", published.publishedAt());
    body.put("files", published.files());
    return json.writeValueAsBytes(body);
  }
}
