/**
 * The one storage SPI: {@link dev.inlet.storage.FileStore}, the files under one root (a local folder, an S3
 * prefix), modelled on Iceberg's {@code FileIO}. Everything Inlet reads or writes in a lake goes through it: the
 * sinks ({@link dev.inlet.local.LocalWarehouse}, {@code S3Sink}) stage, commit and delete data files through a
 * store, and the {@link dev.inlet.crawler.Crawler} lists and reads footers through one.
 *
 * <p>Implementations: {@link dev.inlet.storage.LocalFileStore}; {@code dev.inlet.aws.s3.S3FileStore} in inlet-aws.
 * A store of one's own passes {@code dev.inlet.contract.FileStoreContract} of inlet-testkit
 * ({@code docs/extending.md}).
 */
package dev.inlet.storage;
