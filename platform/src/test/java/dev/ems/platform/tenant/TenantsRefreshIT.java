package dev.ems.platform.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.platform.PlatformTestApplication;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A suspension is seen the moment its transaction commits, even when the periodic refresh read the
 * table (on another connection, before the commit) while the suspension was being written: the
 * refresh's older view must not overwrite it. This was a flaky failure of sc-service's
 * SuspendedTenantGenerationIT: a request of a just-suspended tenant was published.
 */
@SpringBootTest(classes = PlatformTestApplication.class)
class TenantsRefreshIT {

  @Autowired Tenants tenants;
  @Autowired PlatformTransactionManager transactions;

  @Test
  void aRefreshThatReadBeforeTheCommitDoesNotUndoTheSuspension() {
    String id = "refresh-" + UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    tenants.upsert(new Tenants.Tenant(id, "R", Tenants.Status.ACTIVE, now, now));
    assertThat(tenants.isActive(id)).isTrue();

    new TransactionTemplate(transactions)
        .executeWithoutResult(
            s -> {
              tenants.upsert(
                  new Tenants.Tenant(id, "R", Tenants.Status.SUSPENDED, now, now.plusSeconds(1)));
              // the periodic refresh, on its own connection, runs before the commit
              CompletableFuture.runAsync(tenants::refresh).join();
            });

    assertThat(tenants.isActive(id)).as("suspended once the change committed").isFalse();

    new TransactionTemplate(transactions)
        .executeWithoutResult(
            s -> {
              tenants.upsert(
                  new Tenants.Tenant(id, "R", Tenants.Status.ACTIVE, now, now.plusSeconds(2)));
              s.setRollbackOnly();
            });
    assertThat(tenants.isActive(id)).as("a rolled-back resumption changes nothing").isFalse();
  }
}
