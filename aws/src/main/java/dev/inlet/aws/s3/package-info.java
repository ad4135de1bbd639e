/** The S3 sink: Inlet's lake layout on Amazon S3 or an S3-compatible store, via multipart uploads. */
package dev.inlet.aws.s3;
