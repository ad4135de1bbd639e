package dev.inlet.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueryResultTest {
  private static final List<ResultColumn> COLUMNS =
      List.of(new ResultColumn("year", "varchar"), new ResultColumn("n", "bigint"));

  @Test
  void of_readsRowsForwardOnce_withNullsKept() {
    try (QueryResult r =
        QueryResult.of(COLUMNS, List.of(List.of("2015", 6221L), Arrays.asList("2022", null)))) {
      assertThat(r.columns()).extracting(ResultColumn::name).containsExactly("year", "n");
      assertThat(r.next()).isTrue();
      assertThat(r.row()).containsExactly("2015", 6221L);
      assertThat(r.string(1)).isEqualTo("6221");
      assertThat(r.next()).isTrue();
      assertThat(r.value(1)).isNull();
      assertThat(r.string(1)).isNull();
      assertThat(r.next()).isFalse();
      assertThat(r.next()).isFalse();
      assertThat(r.queryId()).isEmpty();
    }
  }

  @Test
  void value_beforeNext_failsNamingTheFix() {
    QueryResult r = QueryResult.of(COLUMNS, List.of(List.of("2015", 1L)));
    assertThatThrownBy(() -> r.value(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("next()");
    r.next();
    assertThatThrownBy(() -> r.value(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void toList_overTheLimit_failsInsteadOfFillingTheHeap() {
    QueryResult r =
        QueryResult.of(COLUMNS, List.of(List.of("a", 1L), List.of("b", 2L), List.of("c", 3L)));
    assertThatThrownBy(() -> r.toList(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot read the rows of query (no id): more than 2 rows; raise the limit or read the result row"
                + " by row");
    assertThat(QueryResult.of(COLUMNS, List.of(List.of("a", 1L))).toList(1))
        .containsExactly(List.of("a", 1L));
    assertThatThrownBy(() -> r.toList(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void of_aRowOfTheWrongWidth_failsAtOnce() {
    assertThatThrownBy(() -> QueryResult.of(COLUMNS, List.of(List.of("a"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a row has 1 values for 2 columns");
  }

  @Test
  void execute_byDefault_drainsAndClosesTheResult() {
    AtomicInteger closed = new AtomicInteger();
    AtomicInteger read = new AtomicInteger();
    SqlEngine engine = new SqlEngine() {
      @Override
      public QueryResult query(String sql) {
        QueryResult rows = QueryResult.of(COLUMNS, List.of(List.of("a", 1L), List.of("b", 2L)));
        return new QueryResult() {
          @Override
          public List<ResultColumn> columns() {
            return rows.columns();
          }

          @Override
          public boolean next() {
            boolean more = rows.next();
            if (more) {
              read.incrementAndGet();
            }
            return more;
          }

          @Override
          public Object value(int index) {
            return rows.value(index);
          }

          @Override
          public void close() {
            closed.incrementAndGet();
          }
        };
      }

      @Override
      public SqlDialect dialect() {
        return SqlDialect.TRINO;
      }

      @Override
      public void close() {}
    };

    engine.execute("CREATE VIEW v AS SELECT 1");

    assertThat(read).hasValue(2);
    assertThat(closed).hasValue(1);
  }

  @Test
  void queryFailed_carriesIdAndReason_andIsAnInletException() {
    QueryFailedException e = new QueryThrottledException(
        "Cannot start query: throttled; retry later", "q-1", "TooManyRequestsException", null);
    assertThat(e)
        .isInstanceOf(dev.inlet.InletException.class)
        .isInstanceOf(QueryFailedException.class);
    assertThat(e.queryId()).contains("q-1");
    assertThat(e.reason()).contains("TooManyRequestsException");
    assertThat(new QueryFailedException("m", null, null).queryId()).isEmpty();
  }
}
