package dev.inlet.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.ColumnType;
import dev.inlet.Schema;
import dev.inlet.SchemaMismatchException;
import dev.inlet.TableId;
import dev.inlet.TableRegistration;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Catalog.check and Registrar (register) refuse other partition keys with the same, full message. */
class PartitionKeysMessageTest {
  @TempDir
  Path lake;

  @Test
  void checkAndRegister_sayTheSame() {
    LocalCatalog catalog = LocalCatalog.at(lake);
    TableId t = TableId.of("db", "t");
    catalog.register(TableRegistration.builder()
        .table(t)
        .schema(Schema.builder().column("id", ColumnType.STRING).build())
        .location("file:/lake/bronze/db/t/")
        .partitionKeys(List.of("year"))
        .build());
    TableRegistration other = TableRegistration.builder()
        .table(t)
        .schema(Schema.builder().column("id", ColumnType.STRING).build())
        .location("file:/lake/bronze/db/t/")
        .partitionKeys(List.of("year", "month"))
        .build();
    String message =
        "Cannot register db.t: partition keys [year, month] differ from the catalog's [year];"
            + " partition keys cannot change, register into a new table";
    assertThatThrownBy(() -> catalog.check(other))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> catalog.register(other))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessage(message);
  }
}
