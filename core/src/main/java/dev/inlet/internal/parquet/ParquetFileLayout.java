package dev.inlet.internal.parquet;

import dev.inlet.Codec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.ColumnOrder;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.DateType;
import org.apache.parquet.format.DecimalType;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.IEEE754TotalOrder;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.MicroSeconds;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.StringType;
import org.apache.parquet.format.TimeUnit;
import org.apache.parquet.format.TimestampType;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.TypeDefinedOrder;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.ColumnIndexBuilder;
import org.apache.parquet.internal.column.columnindex.OffsetIndexBuilder;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Lays out a Parquet file from encoded row groups: the magic, each column chunk's dictionary and data pages with
 * their headers, then the column and offset indexes, then the footer. It writes what parquet-java's
 * {@code ParquetFileWriter} writes for the same pages (same page headers, statistics, indexes, schema, column
 * orders; parquet-java's own helpers convert statistics and indexes), without that writer's footer classes, whose
 * first use costs a process ~60 ms (they start a JSON mapper). {@code created_by} names Inlet. Flat schemas of
 * optional primitive columns only, as {@link ParquetTypes} makes them. Not thread-safe.
 */
final class ParquetFileLayout {
  static final String CREATED_BY =
      "inlet version 0.1.0 (build parquet-java " + org.apache.parquet.Version.VERSION_NUMBER + ")";
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  /** Min and max beyond this many bytes (on average per page) leave the column index out, as in parquet-java. */
  private static final int MAX_STATS_SIZE = 4096;
  /** Binary min and max in column indexes are truncated to this many bytes, as in parquet-java. */
  private static final int COLUMN_INDEX_TRUNCATE_LENGTH = 64;

  private final Counting out;
  private final MessageType schema;
  private final CompressionCodec codec;
  private final ParquetMetadataConverter converter = new ParquetMetadataConverter();
  private final List<RowGroup> rowGroups = new ArrayList<>();
  private final List<List<ColumnIndex>> columnIndexes = new ArrayList<>();
  private final List<List<org.apache.parquet.internal.column.columnindex.OffsetIndex>>
      offsetIndexes = new ArrayList<>();
  private long rows;

  ParquetFileLayout(OutputStream out, MessageType schema, Codec codec) throws IOException {
    this.out = new Counting(out);
    this.schema = schema;
    this.codec = formatCodec(codec);
    this.out.write(MAGIC);
  }

  /** Where the next byte goes. */
  long position() {
    return out.position;
  }

  /** Writes one row group's column chunks. */
  void writeRowGroup(RowGroupEncoder.EncodedRowGroup group) throws IOException {
    long start = out.position;
    List<ColumnChunk> chunks = new ArrayList<>();
    List<ColumnIndex> groupColumnIndexes = new ArrayList<>();
    List<org.apache.parquet.internal.column.columnindex.OffsetIndex> groupOffsetIndexes =
        new ArrayList<>();
    long uncompressed = 0;
    long compressed = 0;
    for (ColumnEncoder.EncodedColumn c : group.columns()) {
      ColumnDescriptor d = c.descriptor();
      PrimitiveType type = d.getPrimitiveType();
      long chunkStart = out.position;
      long chunkUncompressed = 0;
      EncodingStats.Builder encodingStats = new EncodingStats.Builder();
      Set<org.apache.parquet.column.Encoding> encodings = new java.util.HashSet<>();
      long dictionaryOffset = -1;
      if (c.dictionary() != null) {
        dictionaryOffset = out.position;
        converter.writeDictionaryPageHeader(
            c.dictionary().getUncompressedSize(),
            (int) c.dictionary().getBytes().size(),
            c.dictionary().getDictionarySize(),
            c.dictionary().getEncoding(),
            out);
        chunkUncompressed +=
            c.dictionary().getUncompressedSize() + (out.position - dictionaryOffset);
        c.dictionary().getBytes().writeAllTo(out);
        encodingStats.addDictEncoding(c.dictionary().getEncoding());
        encodings.add(c.dictionary().getEncoding());
      }
      long firstDataPage = out.position;
      ColumnIndexBuilder columnIndex =
          ColumnIndexBuilder.getBuilder(type, COLUMN_INDEX_TRUNCATE_LENGTH);
      OffsetIndexBuilder offsetIndex = OffsetIndexBuilder.getBuilder();
      Statistics<?> statistics = null;
      for (ColumnEncoder.EncodedPage p : c.pages()) {
        long pageStart = out.position;
        converter.writeDataPageV1Header(
            p.uncompressedSize(),
            p.bytes().length,
            p.rows(),
            org.apache.parquet.column.Encoding.BIT_PACKED,
            org.apache.parquet.column.Encoding.RLE,
            p.encoding(),
            out);
        chunkUncompressed += p.uncompressedSize() + (out.position - pageStart);
        out.write(p.bytes());
        offsetIndex.add((int) (out.position - pageStart), p.rows());
        // chunk statistics and column index as parquet-java merges them (page statistics never
        // empty here)
        if (statistics == null) {
          statistics = p.statistics().copy();
        } else {
          statistics.mergeStatistics(p.statistics());
        }
        columnIndex.add(p.statistics());
        encodingStats.addDataEncoding(p.encoding());
        encodings.add(p.encoding());
      }
      encodings.add(org.apache.parquet.column.Encoding.RLE);
      encodings.add(org.apache.parquet.column.Encoding.BIT_PACKED);
      long chunkCompressed = out.position - chunkStart;
      List<Encoding> formatEncodings = new ArrayList<>(encodings.size());
      for (org.apache.parquet.column.Encoding e : encodings) {
        formatEncodings.add(converter.getEncoding(e));
      }
      java.util.Collections.sort(formatEncodings); // as parquet-java lists them
      ColumnMetaData meta = new ColumnMetaData(
          formatType(type),
          formatEncodings,
          List.of(d.getPath()),
          codec,
          c.rows(),
          chunkUncompressed,
          chunkCompressed,
          firstDataPage);
      if (dictionaryOffset >= 0) {
        meta.setDictionary_page_offset(dictionaryOffset);
      }
      if (statistics != null && !statistics.isEmpty()) {
        meta.setStatistics(ParquetMetadataConverter.toParquetStatistics(statistics));
      }
      meta.setEncoding_stats(converter.convertEncodingStats(encodingStats.build()));
      ColumnChunk chunk = new ColumnChunk(0);
      chunk.setMeta_data(meta);
      chunks.add(chunk);
      groupColumnIndexes.add(
          columnIndex.getMinMaxSize() > (long) columnIndex.getPageCount() * MAX_STATS_SIZE
              ? null
              : columnIndex.build());
      groupOffsetIndexes.add(offsetIndex.build(firstDataPage));
      uncompressed += chunkUncompressed;
      compressed += chunkCompressed;
    }
    RowGroup rowGroup = new RowGroup(chunks, uncompressed, group.rows());
    rowGroup.setFile_offset(start);
    rowGroup.setTotal_compressed_size(compressed);
    rowGroup.setOrdinal((short) rowGroups.size());
    rowGroups.add(rowGroup);
    columnIndexes.add(groupColumnIndexes);
    offsetIndexes.add(groupOffsetIndexes);
    rows += group.rows();
  }

  /** Writes the column indexes, the offset indexes and the footer, then flushes; the stream stays open. */
  void end(Map<String, String> keyValues) throws IOException {
    for (int g = 0; g < rowGroups.size(); g++) {
      List<ColumnChunk> chunks = rowGroups.get(g).getColumns();
      for (int c = 0; c < chunks.size(); c++) {
        PrimitiveType type = schema.getColumns().get(c).getPrimitiveType();
        org.apache.parquet.format.ColumnIndex index = ParquetMetadataConverter.toParquetColumnIndex(
            type, columnIndexes.get(g).get(c));
        if (index != null) {
          long offset = out.position;
          Util.writeColumnIndex(index, out);
          chunks.get(c).setColumn_index_offset(offset);
          chunks.get(c).setColumn_index_length((int) (out.position - offset));
        }
      }
    }
    for (int g = 0; g < rowGroups.size(); g++) {
      List<ColumnChunk> chunks = rowGroups.get(g).getColumns();
      for (int c = 0; c < chunks.size(); c++) {
        long offset = out.position;
        Util.writeOffsetIndex(
            ParquetMetadataConverter.toParquetOffsetIndex(offsetIndexes.get(g).get(c)), out);
        chunks.get(c).setOffset_index_offset(offset);
        chunks.get(c).setOffset_index_length((int) (out.position - offset));
      }
    }
    FileMetaData footer = new FileMetaData(1, schemaElements(), rows, rowGroups);
    for (Map.Entry<String, String> e : keyValues.entrySet()) {
      footer.addToKey_value_metadata(new KeyValue(e.getKey()).setValue(e.getValue()));
    }
    footer.setCreated_by(CREATED_BY);
    List<ColumnOrder> orders = new ArrayList<>();
    for (ColumnDescriptor d : schema.getColumns()) {
      ColumnOrder order = new ColumnOrder();
      switch (d.getPrimitiveType().columnOrder().getColumnOrderName()) {
        case IEEE_754_TOTAL_ORDER:
          order.setIEEE_754_TOTAL_ORDER(new IEEE754TotalOrder());
          break;
        default:
          order.setTYPE_ORDER(new TypeDefinedOrder());
      }
      orders.add(order);
    }
    footer.setColumn_orders(orders);
    long footerStart = out.position;
    Util.writeFileMetaData(footer, out);
    int footerLength = (int) (out.position - footerStart);
    out.write(new byte[] {
      (byte) footerLength,
      (byte) (footerLength >>> 8),
      (byte) (footerLength >>> 16),
      (byte) (footerLength >>> 24)
    });
    out.write(MAGIC);
    out.flush();
  }

  /** The schema as the footer lists it: the root, then one element per (optional, primitive) column. */
  private List<SchemaElement> schemaElements() {
    List<SchemaElement> elements = new ArrayList<>();
    SchemaElement root = new SchemaElement(schema.getName());
    root.setNum_children(schema.getFieldCount());
    elements.add(root);
    for (ColumnDescriptor d : schema.getColumns()) {
      PrimitiveType t = d.getPrimitiveType();
      SchemaElement e = new SchemaElement(t.getName());
      e.setRepetition_type(FieldRepetitionType.valueOf(t.getRepetition().name()));
      e.setType(formatType(t));
      LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
      if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
        e.setConverted_type(ConvertedType.UTF8);
        e.setLogicalType(LogicalType.STRING(new StringType()));
      } else if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
        e.setConverted_type(ConvertedType.DATE);
        e.setLogicalType(LogicalType.DATE(new DateType()));
      } else if (a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
          && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS) {
        e.setConverted_type(ConvertedType.TIMESTAMP_MICROS);
        e.setLogicalType(LogicalType.TIMESTAMP(
            new TimestampType(ts.isAdjustedToUTC(), TimeUnit.MICROS(new MicroSeconds()))));
      } else if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation dec) {
        e.setConverted_type(ConvertedType.DECIMAL);
        e.setLogicalType(LogicalType.DECIMAL(new DecimalType(dec.getScale(), dec.getPrecision())));
        e.setScale(dec.getScale());
        e.setPrecision(dec.getPrecision());
      } else if (a != null) {
        throw new IllegalArgumentException(
            "Cannot write Parquet column " + t.getName() + " annotated " + a
                + ": Inlet writes string, date, timestamp (micros) and decimal annotations only");
      }
      if (t.getTypeLength() > 0) {
        e.setType_length(t.getTypeLength());
      }
      elements.add(e);
    }
    return elements;
  }

  /** The codec as the footer names it. */
  private static CompressionCodec formatCodec(Codec codec) {
    switch (codec) {
      case ZSTD:
        return CompressionCodec.ZSTD;
      case SNAPPY:
        return CompressionCodec.SNAPPY;
      case GZIP:
        return CompressionCodec.GZIP;
      case NONE:
        return CompressionCodec.UNCOMPRESSED;
      default:
        throw new IllegalArgumentException("Unknown codec " + codec);
    }
  }

  /** The physical type as the format names it (BINARY is BYTE_ARRAY there). */
  private static Type formatType(PrimitiveType t) {
    PrimitiveType.PrimitiveTypeName name = t.getPrimitiveTypeName();
    return name == PrimitiveType.PrimitiveTypeName.BINARY
        ? Type.BYTE_ARRAY
        : Type.valueOf(name.name());
  }

  /**
   * Counts the bytes written, for offsets; batches the many small writes of headers and footer (64 KiB) before
   * the given, maybe unbuffered, stream.
   */
  private static final class Counting extends OutputStream {
    private final OutputStream out;
    long position;

    Counting(OutputStream out) {
      this.out = new java.io.BufferedOutputStream(out, 64 * 1024);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      position += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
