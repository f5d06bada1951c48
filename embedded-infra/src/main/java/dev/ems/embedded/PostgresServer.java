package dev.ems.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An embedded PostgreSQL server (zonky binaries, run as a child process). With a data directory it
 * keeps its data across restarts; initdb runs only when the directory is new.
 */
public final class PostgresServer implements AutoCloseable {

  private final EmbeddedPostgres postgres;

  private PostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static PostgresServer start(Path dataDir, int port) {
    QuietLogging.apply();
    try {
      Files.createDirectories(dataDir);
      return new PostgresServer(
          EmbeddedPostgres.builder()
              .setPort(port)
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              // the owner stops it, after the services that use it
              .setRegisterShutdownHook(false)
              .setServerConfig("max_connections", "300")
              // zonky's default is off: a SIGKILL of the server then loses the last commits it
              // acknowledged (their WAL still in its memory). This server keeps the suite's data
              // (./ems up), so a commit waits for its WAL write (issue 16, EmbeddedInfraIT). Its
              // fsync stays off (zonky's -F): an operating-system crash may still lose commits
              .setServerConfig("synchronous_commit", "on")
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  public static PostgresServer temporary() {
    QuietLogging.apply();
    try {
      return new PostgresServer(
          EmbeddedPostgres.builder()
              .setServerConfig("max_connections", "300")
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  /** JDBC URL of a database on this server; it is created when missing. */
  public String jdbcUrl(String database) {
    createDatabaseIfMissing(postgres.getJdbcUrl("postgres", "postgres"), database);
    return postgres.getJdbcUrl("postgres", database);
  }

  static void createDatabaseIfMissing(String adminUrl, String database) {
    if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain database name: " + database);
    }
    try (Connection c = DriverManager.getConnection(adminUrl);
        Statement s = c.createStatement()) {
      var rs = s.executeQuery("select 1 from pg_database where datname = '" + database + "'");
      if (!rs.next()) {
        s.execute("create database \"" + database + "\"");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + database, e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
