package dev.inlet.aws.glue;

import dev.inlet.Catalog;
import dev.inlet.EvolutionPolicy;
import dev.inlet.contract.CatalogContract;
import dev.inlet.testkit.aws.FakeGlue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.glue.GlueClient;

/** {@link GlueCatalog} through the real {@link GlueClient} against the fake Glue server passes the catalog contract. */
class GlueCatalogContractTest extends CatalogContract {
  private final FakeGlue fake = FakeGlue.start();
  private final GlueClient client = fake.client();
  private final List<GlueCatalog> catalogs = new ArrayList<>();

  @Override
  protected Catalog newCatalog(EvolutionPolicy policy) {
    GlueCatalog c = GlueCatalog.builder()
        .client(client)
        .evolutionPolicy(policy)
        .retryBackoff(Duration.ofMillis(1))
        .build();
    catalogs.add(c);
    return c;
  }

  @AfterEach
  void stopFake() {
    catalogs.forEach(GlueCatalog::close);
    client.close();
    fake.close();
  }
}
