package com.example.consumer;

import dev.inlet.Catalog;
import dev.inlet.EvolutionPolicy;
import dev.inlet.aws.glue.GlueCatalog;
import dev.inlet.contract.CatalogContract;
import dev.inlet.testkit.aws.FakeGlue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.glue.GlueClient;

/**
 * The published catalog contract on inlet-aws's {@link GlueCatalog}, through the real {@link GlueClient} against
 * inlet-testkit-aws's Glue stand-in, as docs/extending.md shows it: the AWS test kit is consumable from the BOM.
 */
class GlueCatalogOverFakeGlueTest extends CatalogContract {
  private final FakeGlue glue = FakeGlue.start();
  private final GlueClient client = glue.client();
  private final List<GlueCatalog> catalogs = new ArrayList<>();

  @Override
  protected Catalog newCatalog(EvolutionPolicy policy) {
    GlueCatalog catalog =
        GlueCatalog.builder().client(client).evolutionPolicy(policy).build();
    catalogs.add(catalog);
    return catalog;
  }

  @AfterEach
  void stopGlue() {
    catalogs.forEach(GlueCatalog::close);
    client.close();
    glue.close();
  }
}
