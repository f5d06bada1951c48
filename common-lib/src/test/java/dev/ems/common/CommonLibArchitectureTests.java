package dev.ems.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** common-lib is a plain jar of contracts: no Spring, no persistence, no Kafka client. */
@AnalyzeClasses(packages = "dev.ems.common", importOptions = ImportOption.DoNotIncludeTests.class)
class CommonLibArchitectureTests {

  @ArchTest
  static final ArchRule noSpring =
      noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..");

  @ArchTest
  static final ArchRule noPersistenceOrBroker =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("jakarta.persistence..", "org.apache.kafka..", "java.sql..");
}
