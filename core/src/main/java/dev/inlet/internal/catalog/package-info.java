/**
 * What every catalog shares, internal to Inlet: schema evolution ({@link dev.inlet.internal.catalog.SchemaEvolution}),
 * what Athena needs of a Parquet table in Glue's shape ({@link dev.inlet.internal.catalog.GlueShapes}) and the Athena
 * DDL ({@link dev.inlet.internal.catalog.AthenaDdl}, behind {@link dev.inlet.Catalog#ddl}).
 *
 * <p>Not API: public only because the local and the Glue catalogs (another module) use them; they may change in any
 * release. A test (PublicSignatureLeakTest) fails when the API's signatures name them.
 */
package dev.inlet.internal.catalog;
