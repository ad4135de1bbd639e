/**
 * AWS adapters for Inlet's contracts: the S3 sink, the Glue Data Catalog and the Glue crawler. Only adapters from
 * {@code dev.inlet} interfaces to the AWS SDK for Java v2 live here.
 */
package dev.inlet.aws;
