/**
 * Local stand-ins of the AWS services Inlet uses, for tests that run the real AWS SDK clients offline: add
 * {@code dev.inlet:inlet-testkit-aws} in test scope.
 *
 * <ul>
 *   <li>{@link dev.inlet.testkit.aws.S3ProxyServer}: S3 (S3Proxy over an in-memory blob store);
 *   <li>{@link dev.inlet.testkit.aws.FakeGlue}: an in-memory Glue Data Catalog (databases, tables, partitions,
 *       crawlers);
 *   <li>{@link dev.inlet.testkit.aws.FakeAthena}: Athena's query API (start, poll, results, stop), with the answers a
 *       test scripts.
 * </ul>
 *
 * <p>Each starts on 127.0.0.1 at a free port, holds its state in memory, records the requests it receives, validates
 * them as the service does (a request the service would refuse fails with the service's error, so the client raises
 * the SDK's modelled exception) and is closed to stop it. Each builds a client for itself ({@code client()}); to
 * build your own, set {@code endpointOverride(stand-in.endpoint())}, a region and static credentials (for S3, the
 * keys of {@code S3ProxyServer} and path-style addressing). They do not depend on {@code inlet-aws}: use them for a
 * catalog, sink or engine of your own as well as for Inlet's.
 *
 * <pre>{@code
 * try (FakeGlue glue = FakeGlue.start();
 *     GlueClient client = glue.client();
 *     GlueCatalog catalog = GlueCatalog.builder().client(client).build()) {
 *   // ... register tables through the catalog, then look at what Glue holds:
 *   assertThat(glue.partitions("lake", "events")).hasSize(1);
 * }
 * }</pre>
 */
package dev.inlet.testkit.aws;
