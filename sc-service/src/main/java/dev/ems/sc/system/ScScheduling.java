package dev.ems.sc.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** sc-service runs periodic work (config requests waiting for a feature definition). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ScScheduling {}
