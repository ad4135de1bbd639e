#!/usr/bin/env bash
# Whole-process comparison of Inlet with native DuckDB (docs/performance.md). One command:
#   benchmarks/compare.sh [convert|big|ingest|silver|nyc|all] [--rows N] [--runs N] [--codec zstd]
#                         [--schema boston311|infer] [--work DIR] [--no-build] [--partition-by SPEC (nyc)]
# convert: one generated Boston-311-like CSV (default 300,000 rows), `bin/inlet convert` and a Node script running
#          DuckDB's COPY ... (FORMAT parquet), each a fresh process, alternating A/B --runs times (default 5);
#          prints wall time and peak RSS per run, medians, the ratio, output sizes, and checks that DuckDB reads
#          every output back identical to the CSV.
# big:     a ~1.5 GB generated CSV (3,000,000 rows) converted by Inlet with -Xmx256m (bounded heap).
# ingest:  six generated yearly files 2015-2020 served by a local CKAN-like portal on 127.0.0.1, `ingest` into a
#          local warehouse and catalog, against DuckDB converting the same six local files.
# silver:  after an ingest of the six generated years (as `ingest`), `bin/inlet refine` building boston311.requests
#          from scratch against DuckDB (node) running the same SELECT by hand (views, COPY ... PARTITION_BY (year));
#          then one bronze year re-ingested (--full-refresh --years 2017) and the incremental `refine` timed.
# nyc:     NYC-311 scale: a generated NYC-311-like CSV (default 10,000,000 rows, ~5.8 GB, in the SODA CSV format
#          of Socrata dataset erm2-nwe9; --rows N for another size) served by the local Socrata stand-in on
#          127.0.0.1, `bin/inlet ingest --socrata` with -Xmx256m (types from the dataset's metadata), against DuckDB
#          converting the same local file; --runs times (default 1: it is slow); --partition-by SPEC passes
#          e.g. year-of:created_date to the ingest, and DuckDB then writes PARTITION_BY (year) too; NYC_HEAP=1g sets
#          another -Xmx. Not part of `all`.
# Needs: JDK 17+, Node 18+ with npm (installs @duckdb/node-api into benchmarks/.node), GNU time (/usr/bin/time;
# installed with apt-get when missing and run as root).
set -euo pipefail
ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
BENCH="$ROOT/benchmarks"
MODE=convert
ROWS=300000
RUNS=5
CODEC=zstd
SCHEMA=boston311
WORK="$BENCH/.work"
BUILD=yes
DUCKDB_VERSION=1.5.6-r.1   # @duckdb/node-api, which ships DuckDB 1.5.6 natively
while [ $# -gt 0 ]; do
  case "$1" in
    convert|big|ingest|silver|nyc|all) MODE=$1 ;;
    --rows) ROWS=$2; ROWS_SET=yes; shift ;;
    --runs) RUNS=$2; RUNS_SET=yes; shift ;;
    --codec) CODEC=$2; shift ;;
    --schema) SCHEMA=$2; shift ;;
    --work) WORK=$2; shift ;;
    --partition-by) PARTITION_BY=$2; shift ;;
    --no-build) BUILD=no ;;
    *) echo "Unknown argument $1; see the comment at the top of $0" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$WORK"

# --- tools ---
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q time >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }
  else
    echo "GNU time is missing: install it (Debian/Ubuntu: sudo apt-get install time)" >&2; exit 2
  fi
fi
command -v node >/dev/null && command -v npm >/dev/null \
  || { echo "Node.js 18+ with npm is needed for the DuckDB side (https://nodejs.org)" >&2; exit 2; }
if [ ! -d "$BENCH/.node/node_modules/@duckdb/node-api" ]; then
  echo "Installing @duckdb/node-api@$DUCKDB_VERSION into $BENCH/.node ..."
  mkdir -p "$BENCH/.node"
  [ -f "$BENCH/.node/package.json" ] || echo '{"private":true}' > "$BENCH/.node/package.json"
  (cd "$BENCH/.node" && npm install --silent --no-audit --no-fund "@duckdb/node-api@$DUCKDB_VERSION")
fi
cp "$BENCH/duckdb-copy.mjs" "$BENCH/verify.mjs" "$BENCH/duckdb-sql.mjs" "$BENCH/.node/"   # ESM resolves packages next to the script
if [ "$BUILD" = yes ]; then
  echo "Building (./mvnw -DskipTests package) ..."
  (cd "$ROOT" && { ./mvnw -B -q -o -DskipTests package -pl examples,benchmarks -am 2>/dev/null \
    || ./mvnw -B -q -DskipTests package -pl examples,benchmarks -am; })
fi
CP="$BENCH/target/classes:$BENCH/target/lib/*"
DUCK_CODEC=$CODEC; [ "$CODEC" = none ] && DUCK_CODEC=uncompressed

generate_nyc() { # rows file
  [ -f "$2" ] || java -XX:+UseSerialGC -cp "$CP" dev.inlet.benchmarks.Nyc311LikeCsv "$1" "$2" 311 soda
}
generate() { # rows file seed year
  [ -f "$2" ] || java -XX:+UseSerialGC -cp "$CP" dev.inlet.benchmarks.Boston311LikeCsv "$1" "$2" "$3" "$4"
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
# timed NAME CMD...: runs CMD, appends "wall_s rss_kb" to $WORK/NAME.times, prints one line
timed() {
  local name=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/.last" "$@" > "$WORK/.out" 2>&1 || { cat "$WORK/.out" >&2; return 1; }
  cat "$WORK/.last" >> "$WORK/$name.times"
  read -r wall rss user sys < "$WORK/.last"
  printf "  %-7s %6.2f s wall  %6.2f s cpu  %5d MB RSS\n" "$name" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u+s}')" $((rss / 1024))
}
summary() { # nameA nameB
  local a b ra rb
  a=$(cut -d' ' -f1 "$WORK/$1.times" | median); b=$(cut -d' ' -f1 "$WORK/$2.times" | median)
  ra=$(cut -d' ' -f2 "$WORK/$1.times" | median); rb=$(cut -d' ' -f2 "$WORK/$2.times" | median)
  echo "median wall: $1 $a s, $2 $b s; ratio $1/$2 = $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", a/b}')"
  echo "median peak RSS: $1 $(awk -v r="$ra" 'BEGIN {printf "%.0f", r/1024}') MB, $2 $(awk -v r="$rb" 'BEGIN {printf "%.0f", r/1024}') MB"
}

machine() {
  echo "machine: $(nproc) cores, $(awk '/model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo)," \
    "$(awk '/MemTotal/ {printf "%.0f GB", $2/1e6}' /proc/meminfo) RAM, load $(cut -d' ' -f1-3 /proc/loadavg);" \
    "$(java -version 2>&1 | head -1); node $(node --version); DuckDB node-api $DUCKDB_VERSION"
}

run_convert() {
  local csv="$WORK/boston311-like-$ROWS.csv"
  generate "$ROWS" "$csv" 311 2015
  cat "$csv" > /dev/null   # both sides read from the page cache
  echo "convert: $csv ($(du -m "$csv" | cut -f1) MB, $ROWS rows), codec $CODEC, schema $SCHEMA, $RUNS A/B runs"
  rm -f "$WORK/inlet.times" "$WORK/duckdb.times"
  "$ROOT/bin/inlet" convert "$csv" "$WORK/inlet.parquet" --codec "$CODEC" --schema "$SCHEMA" > /dev/null # CDS
  for i in $(seq "$RUNS"); do
    echo "run $i"
    timed inlet "$ROOT/bin/inlet" convert "$csv" "$WORK/inlet.parquet" --codec "$CODEC" --schema "$SCHEMA"
    timed duckdb node "$BENCH/.node/duckdb-copy.mjs" "$csv" "$WORK/duckdb.parquet" "$DUCK_CODEC"
  done
  summary inlet duckdb
  echo "output: inlet $(du -k "$WORK/inlet.parquet" | cut -f1) KB, duckdb $(du -k "$WORK/duckdb.parquet" | cut -f1) KB"
  md5a=$(md5sum < "$WORK/inlet.parquet")
  "$ROOT/bin/inlet" convert "$csv" "$WORK/inlet-again.parquet" --codec "$CODEC" --schema "$SCHEMA" > /dev/null
  [ "$md5a" = "$(md5sum < "$WORK/inlet-again.parquet")" ] && echo "rerun: same bytes" || echo "rerun: DIFFERENT bytes"
  node "$BENCH/.node/verify.mjs" "$csv" "$WORK/inlet.parquet" "$WORK/duckdb.parquet"
}

run_big() {
  local rows=3000000 csv="$WORK/boston311-like-3000000.csv"
  generate "$rows" "$csv" 1500 2015
  echo "big: $csv ($(du -m "$csv" | cut -f1) MB), Inlet with -Xmx256m"
  rm -f "$WORK/big.times"
  INLET_JAVA_OPTS="-XX:+UseSerialGC -Xmx256m -Xlog:gc:file=$WORK/big-gc.log" \
    timed big "$ROOT/bin/inlet" convert "$csv" "$WORK/big.parquet" --codec "$CODEC" --schema "$SCHEMA"
  grep -o 'Converted.*' "$WORK/.out"
  local full; full=$( (grep 'Pause Full' "$WORK/big-gc.log" || true) | grep -o '[0-9]*M->[0-9]*M' | sed 's/.*->//; s/M//' | sort -n | tail -1 || true)
  echo "heap: limit ${2:-256 MB}; $( [ -n "$full" ] && echo "live after full GCs at most $full MB" || echo "no full GC");" \
    "after any GC at most $(grep -o '[0-9]*M->[0-9]*M' "$WORK/big-gc.log" | sed 's/.*->//; s/M//' | sort -n | tail -1) MB;" \
    "$(grep -c Pause "$WORK/big-gc.log") GCs"
  node "$BENCH/.node/verify.mjs" "$csv" "$WORK/big.parquet"
}

run_ingest() {
  local dir="$WORK/years" lake="$WORK/lake" files=()
  mkdir -p "$dir"
  for y in 2015 2016 2017 2018 2019 2020; do
    generate "$ROWS" "$dir/$y.csv" "$y" "$y"; files+=("$dir/$y.csv")
  done
  cat "${files[@]}" > /dev/null
  echo "ingest: six files of $ROWS rows ($(du -cm "${files[@]}" | tail -1 | cut -f1) MB) from a local portal vs DuckDB on the local files"
  java -XX:+UseSerialGC -Xmx64m -cp "$CP" dev.inlet.benchmarks.ServePortal "$dir" > "$WORK/portal.url" &
  local portal_pid=$!
  trap "kill $portal_pid 2>/dev/null || true" RETURN EXIT  # expanded now: the local is gone at EXIT
  for _ in $(seq 50); do [ -s "$WORK/portal.url" ] && break; sleep 0.1; done
  local url; url=$(head -1 "$WORK/portal.url")
  cat > "$WORK/duckdb-six.sh" <<SH
#!/bin/sh
set -e
for y in 2015 2016 2017 2018 2019 2020; do node "$BENCH/.node/duckdb-copy.mjs" "$dir/\$y.csv" "$WORK/duck-\$y.parquet" "$DUCK_CODEC" >/dev/null; done
SH
  cat > "$WORK/duckdb-six.mjs" <<JS
import { DuckDBInstance } from '@duckdb/node-api';
const i = await DuckDBInstance.create(':memory:'); const c = await i.connect();
for (const y of [2015, 2016, 2017, 2018, 2019, 2020]) {
  await c.run(\`COPY (SELECT * FROM read_csv('$dir/\${y}.csv')) TO '$WORK/duck-\${y}.parquet' (FORMAT parquet, COMPRESSION $DUCK_CODEC)\`);
}
JS
  cp "$WORK/duckdb-six.mjs" "$BENCH/.node/duckdb-six.mjs"
  rm -f "$WORK/ingest.times" "$WORK/duckdb6.times"
  rm -rf "$lake"
  "$ROOT/bin/inlet" ingest --portal "$url" --years 2015-2020 --warehouse "$lake" > /dev/null # CDS archive
  for i in $(seq "$RUNS"); do
    echo "run $i"
    rm -rf "$lake"
    timed ingest "$ROOT/bin/inlet" ingest --portal "$url" --years 2015-2020 --warehouse "$lake"
    timed duckdb6 node "$BENCH/.node/duckdb-six.mjs"
  done
  summary ingest duckdb6
  echo "lake: $(find "$lake/bronze" -name '*.parquet' | wc -l) Parquet files, $(du -sk "$lake/bronze" | cut -f1) KB;" \
    "duckdb: $(du -ck "$WORK"/duck-20*.parquet | tail -1 | cut -f1) KB"
}

run_silver() {
  local dir="$WORK/years" lake="$WORK/silver-lake" files=()
  mkdir -p "$dir"
  for y in 2015 2016 2017 2018 2019 2020; do
    generate "$ROWS" "$dir/$y.csv" "$y" "$y"; files+=("$dir/$y.csv")
  done
  java -XX:+UseSerialGC -Xmx64m -cp "$CP" dev.inlet.benchmarks.ServePortal "$dir" > "$WORK/portal.url" &
  local portal_pid=$!
  trap "kill $portal_pid 2>/dev/null || true" RETURN EXIT  # expanded now: the local is gone at EXIT
  for _ in $(seq 50); do [ -s "$WORK/portal.url" ] && break; sleep 0.1; done
  local url; url=$(head -1 "$WORK/portal.url")
  rm -rf "$lake"
  "$ROOT/bin/inlet" ingest --portal "$url" --years 2015-2020 --warehouse "$lake" > /dev/null
  "$ROOT/bin/inlet" refine --warehouse "$lake" > /dev/null   # registers the empty new-system table; CDS
  echo "silver: boston311.requests from six bronze years of $ROWS rows: refine vs DuckDB running the same SQL by hand"
  rm -f "$WORK/refine.times" "$WORK/duckdbsql.times" "$WORK/incremental.times"
  for i in $(seq "$RUNS"); do
    echo "run $i"
    rm -rf "$lake/silver" "$lake/_catalog/boston311/requests.json" "$WORK/duck-silver"
    timed refine "$ROOT/bin/inlet" refine --warehouse "$lake"
    grep -o 'Refined.*' "$WORK/.out" > "$WORK/refine.summary" || true
    java -cp "$CP" dev.inlet.benchmarks.PrintSilverSql "$lake" "$WORK/duck-silver" > "$WORK/silver.sql"
    timed duckdbsql node "$BENCH/.node/duckdb-sql.mjs" "$WORK/silver.sql"
  done
  summary refine duckdbsql
  echo "silver rows: $(cat "$WORK/refine.summary" 2>/dev/null || true)"
  for i in $(seq "$RUNS"); do
    "$ROOT/bin/inlet" ingest --portal "$url" --years 2017 --full-refresh --warehouse "$lake" > /dev/null
    timed incremental "$ROOT/bin/inlet" refine --warehouse "$lake"
    grep -o 'Refined.*' "$WORK/.out"
  done
  echo "incremental (one bronze year changed): median $(cut -d' ' -f1 "$WORK/incremental.times" | median) s," \
    "peak RSS $(cut -d' ' -f2 "$WORK/incremental.times" | median | awk '{printf "%.0f", $1/1024}') MB"
}

# Peak heap from a -Xlog:gc log: "live after full GCs" and "after any GC".
heap_report() { # gc.log [limit]
  local full; full=$( (grep 'Pause Full' "$1" || true) | grep -o '[0-9]*M->[0-9]*M' | sed 's/.*->//; s/M//' | sort -n | tail -1 || true)
  echo "heap: limit ${2:-256 MB}; $( [ -n "$full" ] && echo "live after full GCs at most $full MB" || echo "no full GC");" \
    "after any GC at most $(grep -o '[0-9]*M->[0-9]*M' "$1" | sed 's/.*->//; s/M//' | sort -n | tail -1) MB;" \
    "before any GC at most $(grep -o '[0-9]*M->[0-9]*M' "$1" | sed 's/->.*//; s/M//' | sort -n | tail -1) MB;" \
    "$(grep -c Pause "$1") GCs"
}

run_nyc() {
  local rows=10000000 runs=1
  [ "${ROWS_SET:-}" = yes ] && rows=$ROWS
  [ "${RUNS_SET:-}" = yes ] && runs=$RUNS
  local csv="$WORK/nyc311-like-$rows.csv" lake="$WORK/nyc-lake"
  generate_nyc "$rows" "$csv"
  echo "nyc: $csv ($(du -m "$csv" | cut -f1) MB, $rows rows) from a local Socrata stand-in vs DuckDB on the local file${PARTITION_BY:+; ingest --partition-by $PARTITION_BY}"
  java -XX:+UseSerialGC -Xmx64m -cp "$CP" dev.inlet.benchmarks.ServeSocrata "$csv" > "$WORK/socrata.url" &
  local portal_pid=$!
  trap "kill $portal_pid 2>/dev/null || true" RETURN EXIT  # expanded now: the local is gone at EXIT
  for _ in $(seq 100); do [ -s "$WORK/socrata.url" ] && break; sleep 0.1; done
  local url; url=$(head -1 "$WORK/socrata.url")
  local ingest=("$ROOT/bin/inlet" ingest --socrata "$url" --dataset erm2-nwe9 --table service_requests
    --database nyc311 --warehouse "$lake" ${PARTITION_BY:+--partition-by "$PARTITION_BY"})
  local opts="-XX:+UseSerialGC -Xms64m -Xmx${NYC_HEAP:-256m} -XX:PretenureSizeThreshold=1m -XX:FreqInlineSize=50 -XX:InlineSmallCode=500 -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider -Dslf4j.internal.verbosity=WARN"
  rm -f "$WORK/nyc-inlet.times" "$WORK/nyc-duckdb.times"
  cat "$csv" > /dev/null   # the server and DuckDB read from the page cache where it fits
  for i in $(seq "$runs"); do
    echo "run $i"
    rm -rf "$lake"
    INLET_JAVA_OPTS="$opts -Xlog:gc:file=$WORK/nyc-gc.log" timed nyc-inlet "${ingest[@]}"
    grep -E 'total|ok|FAILED' "$WORK/.out" | tail -3
    heap_report "$WORK/nyc-gc.log" "${NYC_HEAP:-256m}"
    rm -rf "$WORK/nyc-duckdb.parquet"
    # partitioned by year too when the ingest is (DuckDB: PARTITION_BY (year) into a folder)
    timed nyc-duckdb node "$BENCH/.node/duckdb-copy.mjs" "$csv" "$WORK/nyc-duckdb.parquet" "$DUCK_CODEC" 0 \
      ${PARTITION_BY:+"$PARTITION_BY"}
  done
  summary nyc-inlet nyc-duckdb
  local a b; a=$(cut -d' ' -f1 "$WORK/nyc-inlet.times" | median); b=$(cut -d' ' -f1 "$WORK/nyc-duckdb.times" | median)
  echo "rows/s: inlet $(awk -v r="$rows" -v t="$a" 'BEGIN {printf "%.0f", r/t}'), duckdb $(awk -v r="$rows" -v t="$b" 'BEGIN {printf "%.0f", r/t}')"
  echo "output: inlet $(find "$lake/bronze" -name '*.parquet' | wc -l) file(s) $(du -sm "$lake/bronze" | cut -f1) MB," \
    "duckdb $(du -sm "$WORK/nyc-duckdb.parquet" | cut -f1) MB"
  local duck="$WORK/nyc-duckdb.parquet"; [ -d "$duck" ] && duck="$duck/**/*.parquet"
  # unique_key and incident_zip are text on Socrata (Inlet keeps them strings), DuckDB infers numbers: compare as text
  VERIFY_COLUMNS="unique_key::VARCHAR, created_date, closed_date, agency, complaint_type, descriptor, incident_zip::VARCHAR, resolution_description, latitude, longitude, location" \
    node "$BENCH/.node/verify.mjs" "$csv" "$lake/bronze/nyc311/service_requests/**/*.parquet" "$duck"
}

machine
case "$MODE" in
  convert) run_convert ;;
  big) run_big ;;
  ingest) run_ingest ;;
  silver) run_silver ;;
  nyc) run_nyc ;;
  all) run_convert; run_big; run_ingest ;;
esac
