package dev.inlet.internal.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The dictionary numbers distinct byte strings in order of first appearance, whatever their length, position in
 * their array (values end at the array's last byte too, where eight-byte reads are not possible) and neighbours.
 */
class BinaryDictionaryPropertyTest {

  @Provide
  Arbitrary<List<byte[]>> values() {
    // few distinct bytes, so equal prefixes, equal lengths and repeats are common
    Arbitrary<byte[]> value =
        Arbitraries.bytes().between((byte) 0, (byte) 3).array(byte[].class).ofMaxSize(19);
    return value.list().ofMaxSize(400);
  }

  @Property(tries = 300)
  void ids_followFirstAppearance(
      @ForAll("values") List<byte[]> values, @ForAll boolean atArrayEnd) {
    BinaryDictionary d = new BinaryDictionary();
    Map<ByteBuffer, Integer> model = new HashMap<>();
    long pageBytes = 0;
    for (byte[] v : values) {
      // the value inside a larger array, with different bytes around it
      int before = atArrayEnd ? 5 : v.length % 7;
      int after = atArrayEnd ? 0 : 9;
      byte[] host = new byte[before + v.length + after];
      Arrays.fill(host, (byte) 7);
      System.arraycopy(v, 0, host, before, v.length);
      Integer expected = model.get(ByteBuffer.wrap(v));
      if (expected == null) {
        expected = model.size();
        model.put(ByteBuffer.wrap(v), expected);
        pageBytes += 4 + v.length;
      }
      assertThat(d.idOf(host, before, v.length)).isEqualTo(expected);
    }
    assertThat(d.size()).isEqualTo(model.size());
    assertThat(d.pageBytes()).isEqualTo(pageBytes);
    for (Map.Entry<ByteBuffer, Integer> e : model.entrySet()) {
      int id = e.getValue();
      byte[] stored = Arrays.copyOfRange(d.arena(), d.offset(id), d.offset(id) + d.length(id));
      assertThat(ByteBuffer.wrap(stored)).isEqualTo(e.getKey());
    }
  }

  @Example
  void equal_comparesEveryByteAtEveryLength() {
    for (int len = 0; len < 24; len++) {
      byte[] a = new byte[len];
      Arrays.fill(a, (byte) 'x');
      for (int at = 0; at < len; at++) {
        byte[] b = a.clone();
        b[at] = 'y';
        assertThat(BinaryDictionary.equal(a, 0, b, 0, len))
            .as("len %d, differs at %d", len, at)
            .isFalse();
        assertThat(BinaryDictionary.hash(a, 0, len)).isNotEqualTo(BinaryDictionary.hash(b, 0, len));
      }
      assertThat(BinaryDictionary.equal(a, 0, a.clone(), 0, len)).isTrue();
    }
  }
}
