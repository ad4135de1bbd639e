package dev.inlet.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Column;
import dev.inlet.ColumnType;
import dev.inlet.CommitConflictException;
import dev.inlet.EvolutionPolicy;
import dev.inlet.Partition;
import dev.inlet.RetryPolicy;
import dev.inlet.Schema;
import dev.inlet.Table;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The register algorithm over an in-memory store that loses a given number of races. */
class RegistrarTest {
  private static final TableId ID = TableId.of("db", "events");
  private static final Schema BASE = Schema.of(Column.of("id", ColumnType.INT));
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /** Holds one table; its first {@code losses} commits lose a race. */
  private static final class MemoryStore implements Registrar.Store<Void> {
    Table table;
    final Map<List<String>, Registrar.StoredPartition> partitions = new LinkedHashMap<>();
    int losses;
    int reads;
    final List<Registrar.Plan> written = new ArrayList<>();

    @Override
    public Optional<Registrar.Current<Void>> read(TableId id) {
      reads++;
      return Optional.ofNullable(table).map(t -> new Registrar.Current<>(t, partitions, null));
    }

    @Override
    public Table commit(
        Optional<Registrar.Current<Void>> read,
        Registrar.Plan plan,
        Function<Optional<Registrar.Current<Void>>, Optional<Registrar.Plan>> replan)
        throws Registrar.Lost {
      if (losses-- > 0) {
        throw new Registrar.Lost(
            "UpdateTable failed with ConcurrentModificationException: race", null);
      }
      written.add(plan);
      table = plan.table().toBuilder()
          .version(table == null ? "0" : "" + (Long.parseLong(table.version()) + 1))
          .build();
      plan.creates().forEach((v, p) -> partitions.put(v, new Registrar.StoredPartition(p, null)));
      plan.updates().forEach((v, p) -> partitions.put(v, new Registrar.StoredPartition(p, null)));
      return table;
    }
  }

  private static Registrar registrar(int maxRetries) {
    return new Registrar(EvolutionPolicy.UPDATE, RetryPolicy.immediate(maxRetries + 1));
  }

  private static TableRegistration registration(Schema schema, String... years) {
    TableRegistration.Builder b = TableRegistration.builder()
        .table(ID)
        .location("s3://b/db/events/")
        .schema(schema)
        .partitionKeys(List.of("year"));
    for (String y : years) {
      b.addPartition(new Partition(List.of(y), "s3://b/db/events/year=" + y + "/", Map.of()));
    }
    return b.build();
  }

  @Test
  void register_afterLostRaces_readsAgainAndRetries_upToTheLimit() {
    MemoryStore store = new MemoryStore();
    store.losses = 2;

    Table t = registrar(2).register(store, registration(BASE, "2015"), NOW);

    assertThat(store.reads).isEqualTo(3);
    assertThat(t.version()).isEqualTo("0");
    assertThat(store.written).hasSize(1);
    assertThat(store.written.get(0).createsTable()).isTrue();
    assertThat(store.written.get(0).creates()).containsOnlyKeys(List.of("2015"));
  }

  @Test
  void register_losingEveryAttempt_failsWithConflictNamingTheAttempts() {
    MemoryStore store = new MemoryStore();
    store.losses = 3;

    assertThatThrownBy(() -> registrar(2).register(store, registration(BASE), NOW))
        .isInstanceOf(CommitConflictException.class)
        .hasMessage(
            "Cannot register db.events: another writer changed the table at each of 3 attempts (last:"
                + " UpdateTable failed with ConcurrentModificationException: race); re-run to retry");
    assertThat(store.written).isEmpty();
  }

  @Test
  void register_thatChangesNothing_writesNothing_andRepointsOnlyWhatDiffers() {
    MemoryStore store = new MemoryStore();
    registrar(0).register(store, registration(BASE, "2015", "2016"), NOW);

    registrar(0).register(store, registration(BASE, "2015"), NOW);
    assertThat(store.written).hasSize(1);

    registrar(0)
        .register(
            store,
            TableRegistration.builder()
                .table(ID)
                .location("s3://b/db/events/")
                .schema(BASE)
                .partitionKeys(List.of("year"))
                .addPartition(new Partition(List.of("2015"), "s3://b/v2/", Map.of()))
                .addPartition(
                    new Partition(List.of("2016"), "s3://b/db/events/year=2016/", Map.of()))
                .build(),
            NOW);
    assertThat(store.written).hasSize(2);
    assertThat(store.written.get(1).updates()).containsOnlyKeys(List.of("2015"));
    assertThat(store.written.get(1).creates()).isEmpty();
  }

  @Test
  void register_withPartitionColumnsOtherThanTheTables_rewritesThosePartitions() {
    MemoryStore store = new MemoryStore();
    registrar(0).register(store, registration(BASE, "2015"), NOW);
    Partition p = store.partitions.get(List.of("2015")).partition();
    store.partitions.put(List.of("2015"), new Registrar.StoredPartition(p, List.of("id bigint")));

    registrar(0).register(store, registration(BASE), NOW);

    assertThat(store.written).hasSize(2);
    assertThat(store.written.get(1).updates()).containsExactly(Map.entry(List.of("2015"), p));
  }
}
