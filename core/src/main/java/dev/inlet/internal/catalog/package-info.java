/**
 * What every catalog shares, internal to Inlet: the register algorithm ({@link dev.inlet.internal.catalog.Registrar}),
 * what a schema change changed ({@link dev.inlet.internal.catalog.SchemaEvolution}, over the rules of {@link
 * dev.inlet.EvolutionPolicy#evolve}) and what Athena needs of a Parquet table in Glue's shape ({@link
 * dev.inlet.internal.catalog.GlueShapes}).
 *
 * <p>Not API: public only because the local and the Glue catalogs (another module) use them; they may change in any
 * release. A test (PublicSignatureLeakTest) fails when the API's signatures name them.
 */
package dev.inlet.internal.catalog;
