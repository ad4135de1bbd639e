package dev.inlet.parquet;

import dev.inlet.csv.Codec;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/** Page compression calling zstd-jni, snappy-java and java.util.zip directly, so no Hadoop codec is loaded. */
final class DirectCodecFactory implements CompressionCodecFactory {
  static final int ZSTD_LEVEL = 3;

  static CompressionCodecName codecName(Codec codec) {
    switch (codec) {
      case ZSTD:
        return CompressionCodecName.ZSTD;
      case SNAPPY:
        return CompressionCodecName.SNAPPY;
      case GZIP:
        return CompressionCodecName.GZIP;
      case NONE:
        return CompressionCodecName.UNCOMPRESSED;
      default:
        throw new IllegalArgumentException("Unknown codec " + codec);
    }
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName name) {
    return new Compressor(name);
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName name) {
    return new Decompressor(name);
  }

  @Override
  public void release() {}

  private static final class Compressor implements BytesInputCompressor {
    private final CompressionCodecName name;

    Compressor(CompressionCodecName name) {
      this.name = name;
    }

    @Override
    public BytesInput compress(BytesInput bytes) throws IOException {
      switch (name) {
        case UNCOMPRESSED:
          return bytes;
        case ZSTD:
          return BytesInput.from(Zstd.compress(bytes.toByteArray(), ZSTD_LEVEL));
        case SNAPPY:
          return BytesInput.from(Snappy.compress(bytes.toByteArray()));
        case GZIP:
          ByteArrayOutputStream buf = new ByteArrayOutputStream((int) Math.max(64, bytes.size() / 2));
          try (GZIPOutputStream gz = new GZIPOutputStream(buf, 64 * 1024)) {
            bytes.writeAllTo(gz);
          }
          return BytesInput.from(buf.toByteArray());
        default:
          throw new IOException("Cannot compress Parquet page: codec " + name + " is not supported");
      }
    }

    @Override
    public CompressionCodecName getCodecName() {
      return name;
    }

    @Override
    public void release() {}
  }

  private static final class Decompressor implements BytesInputDecompressor {
    private final CompressionCodecName name;

    Decompressor(CompressionCodecName name) {
      this.name = name;
    }

    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      switch (name) {
        case UNCOMPRESSED:
          return bytes;
        case ZSTD:
          return BytesInput.from(Zstd.decompress(bytes.toByteArray(), uncompressedSize));
        case SNAPPY:
          return BytesInput.from(Snappy.uncompress(bytes.toByteArray()));
        case GZIP:
          try (InputStream in = new GZIPInputStream(bytes.toInputStream())) {
            return BytesInput.from(in.readNBytes(uncompressedSize));
          }
        default:
          throw new IOException("Cannot decompress Parquet page: codec " + name + " is not supported");
      }
    }

    @Override
    public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
        throws IOException {
      byte[] in = new byte[compressedSize];
      input.get(in);
      output.put(decompress(BytesInput.from(in), uncompressedSize).toByteArray());
    }

    @Override
    public void release() {}
  }
}
