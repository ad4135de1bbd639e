package dev.inlet.internal.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import dev.inlet.Codec;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.xerial.snappy.Snappy;

/**
 * Compresses page bytes with zstd-jni, snappy-java or java.util.zip directly (no Hadoop codec), reusing one zstd
 * context and one output buffer. One per encoding thread; {@link #close()} frees the native context.
 * Inlet-internal (public for {@link #preload}).
 */
public final class PageCompressor implements Closeable {
  static final int ZSTD_LEVEL = 3;

  private static final java.util.Set<Codec> PRELOADED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final Codec codec;
  private ZstdCompressCtx zstd;
  private byte[] scratch = new byte[0];

  PageCompressor(Codec codec) {
    this.codec = codec;
  }

  /**
   * On a daemon thread, loads what a conversion needs later and would otherwise load on its critical path: the
   * codec's native library (zstd-jni extracts and links it on first use, ~50 ms) before the first page closes,
   * and parquet-java's metadata converter, index builders and footer structures before the first row group is
   * laid out. Once per codec per JVM.
   *
   * @param codec the codec whose native code to load
   */
  public static void preload(Codec codec) {
    if (!PRELOADED.add(codec)) {
      return;
    }
    Thread t = new Thread(
        () -> {
          try {
            if (codec == Codec.ZSTD) {
              Zstd.compressBound(1);
            } else if (codec == Codec.SNAPPY) {
              Snappy.maxCompressedLength(1);
            }
            ClassLoader loader = PageCompressor.class.getClassLoader();
            for (String name : new String[] {
              "org.apache.parquet.format.converter.ParquetMetadataConverter",
              "org.apache.parquet.internal.column.columnindex.ColumnIndexBuilder",
              "org.apache.parquet.format.FileMetaData"
            }) {
              Class.forName(name, true, loader);
            }
          } catch (Throwable ignored) {
            // whatever fails here fails again, and is reported, where it is used
          }
        },
        "inlet-preload");
    t.setDaemon(true);
    t.start();
  }

  /** The compressed form of {@code src[off, off+len)}, a new array of its exact length. */
  byte[] compress(byte[] src, int off, int len) throws IOException {
    switch (codec) {
      case NONE:
        return Arrays.copyOfRange(src, off, off + len);
      case ZSTD: {
        if (zstd == null) {
          zstd = new ZstdCompressCtx().setLevel(ZSTD_LEVEL);
        }
        int bound = (int) Zstd.compressBound(len);
        if (scratch.length < bound) {
          scratch = new byte[bound];
        }
        int n = zstd.compressByteArray(scratch, 0, bound, src, off, len);
        return Arrays.copyOf(scratch, n);
      }
      case SNAPPY: {
        int bound = Snappy.maxCompressedLength(len);
        if (scratch.length < bound) {
          scratch = new byte[bound];
        }
        int n = Snappy.compress(src, off, len, scratch, 0);
        return Arrays.copyOf(scratch, n);
      }
      case GZIP: {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(Math.max(64, len / 2));
        try (GZIPOutputStream gz = new GZIPOutputStream(buf, 64 * 1024)) {
          gz.write(src, off, len);
        }
        return buf.toByteArray();
      }
      default:
        throw new IOException("Cannot compress Parquet page: codec " + codec + " is not supported");
    }
  }

  @Override
  public void close() {
    if (zstd != null) {
      zstd.close();
      zstd = null;
    }
  }
}
