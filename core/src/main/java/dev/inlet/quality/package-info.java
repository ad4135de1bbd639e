/**
 * Data quality checks on any catalog table, run through an {@link dev.inlet.sql.SqlEngine}: checks as data
 * ({@link dev.inlet.quality.Check}, or a small text file read by {@link dev.inlet.quality.CheckFile}), the run
 * ({@link dev.inlet.quality.QualityChecks}) and its result as an object ({@link dev.inlet.quality.QualityResult}),
 * previous runs for the comparing checks ({@link dev.inlet.quality.QualityHistory}) and the reports a person reads
 * ({@link dev.inlet.quality.QualityResult#summary()}, {@link dev.inlet.quality.HtmlReport}). See docs/quality.md.
 */
package dev.inlet.quality;
