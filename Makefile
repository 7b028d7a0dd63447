# hs - streaming analytics for hydraulic sensor data, as small Unix tools.
#
#   make            build every binary into bin/
#   make demo       install missing Debian packages, build, run the demo
#   make demo-kafka the same pipeline through Kafka (the mock cluster)
#   make demo-scale three instances in a consumer group and a merge
#   make check      install missing Debian packages, build, run all tests
#   make sanitize   all tests under AddressSanitizer + UBSan
#   make fuzz       AFL++ on every harness of tests/fuzz, FUZZ_SECONDS each
#   make bench      speed and memory beside DuckDB, kcat, Miller and jq, as
#                   ratios against goals (tests/bench; FULL=1: full scale)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
CPPFLAGS += -Icommon
LDLIBS = -lcsv -ljansson -lm

# Where objects and binaries go; `make sanitize` uses a separate tree.
O ?= build
BIN ?= bin

# Every folder of cmd/ with C sources is a binary.
BINARIES = $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard cmd/*/*.c)))))
LDLIBS_hs-kafkacat = -lrdkafka
LDLIBS_hs-detect = -lxgboost
LDLIBS_hs-learn = -lxgboost
COMMON_SRC = $(wildcard common/*.c)
COMMON_OBJ = $(COMMON_SRC:%.c=$(O)/%.o)
COMMON_HDR = $(wildcard common/*.h)
UNIT_TESTS = $(patsubst tests/unit/%.c,$(O)/tests/%,$(wildcard tests/unit/*.c))

# Fuzzing harnesses (tests/fuzz/README.md): json and time call common/
# directly; the others run a whole tool, whose sources are built again with
# -Dmain=hs_tool_main, with the arguments fuzz_args_TARGET, and check that
# its output is valid UTF-8 (and NDJSON where fuzz_ndjson_TARGET is 1).
FMT_MODES = csv tsv table json pretty prom influx sql spark svg
FUZZ_STAGES = $(FMT_MODES:%=fmt-%) window agg detect
FUZZ_TARGETS = json time replay state $(FUZZ_STAGES)
FUZZ_BIN = $(FUZZ_TARGETS:%=$(O)/fuzz/%)
$(foreach m,$(FMT_MODES),$(eval fuzz_tool_fmt-$(m) = hs-fmt)$(eval \
	fuzz_args_fmt-$(m) = hs-fmt -o $(m)))
fuzz_ndjson_fmt-json = 1
fuzz_tool_window = hs-window
fuzz_args_window = hs-window -w 1m -s 20s -l 10s --max-ahead 1d
fuzz_tool_agg = hs-agg
fuzz_args_agg = hs-agg -g sensor,cycle -a count,avg,min,max,stddev,p50 -f value
fuzz_tool_detect = hs-detect
fuzz_args_detect = hs-detect -p -g sensor -f value -t value>100 --stuck 3
fuzz_ndjson_window = 1
fuzz_ndjson_agg = 1
fuzz_ndjson_detect = 1
fuzz_tool_replay = hs-replay
fuzz_tool_state = hs-agg
FUZZ_SECONDS ?= 60
FUZZ_CC ?= afl-clang-fast

# Debian packages the build, the tests and the benchmarks need; the last
# line is the real systems hs-fmt's output is tested against.
DEBS = gcc make libc6-dev libcsv-dev libjansson-dev librdkafka-dev tzdata \
	libxgboost-dev python3-xgboost perl mandoc \
	miller jq kcat hyperfine time curl afl++ \
	sqlite3 postgresql prometheus influxdb librsvg2-bin netpbm

all: $(BINARIES:%=$(BIN)/%) $(UNIT_TESTS) $(O)/tests/json_portable_test \
	$(FUZZ_BIN)

$(O)/%.o: %.c $(COMMON_HDR) $(wildcard cmd/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c -o $@ $<

$(O)/libhs.a: $(COMMON_OBJ)
	rm -f $@
	$(AR) rcs $@ $(COMMON_OBJ)

# bin/NAME links the objects of cmd/NAME/*.c with the common library.
define binary_rule
$(BIN)/$(1): $(patsubst %.c,$(O)/%.o,$(wildcard cmd/$(1)/*.c)) $(O)/libhs.a
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(O)/libhs.a $$(LDLIBS_$(1)) $$(LDLIBS)
endef
$(foreach b,$(BINARIES),$(eval $(call binary_rule,$(b))))

$(O)/tests/%: $(O)/tests/unit/%.o $(O)/libhs.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(O)/libhs.a $(LDLIBS)

# The scanner's tests again on its portable string search (no SSE2).
$(O)/tests/json_portable_test: tests/unit/json_test.c common/json.c $(COMMON_HDR) $(O)/libhs.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(LDFLAGS) -DHS_JSON_PORTABLE -o $@ \
	    tests/unit/json_test.c common/json.c $(O)/libhs.a $(LDLIBS)

# Unit tests of a tool's module link that module too.
$(O)/tests/agg_merge_test: $(O)/cmd/hs-agg/agg.o $(O)/cmd/hs-agg/sketch.o
$(O)/tests/sketch_test: $(O)/cmd/hs-agg/sketch.o

# A tool's sources again, its main renamed, for the fuzzing harnesses.
$(O)/fuzz/obj/%.o: %.c $(COMMON_HDR) $(wildcard cmd/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -Dmain=hs_tool_main -c -o $@ $<

FUZZ_HDR = $(wildcard tests/fuzz/*.h)
$(O)/fuzz/json $(O)/fuzz/time: $(O)/fuzz/%: tests/fuzz/%.c $(FUZZ_HDR) $(O)/libhs.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/libhs.a $(LDLIBS)

# $(O)/fuzz/TARGET: harness source, tool
define fuzz_rule
$(O)/fuzz/$(1): $(2) $(FUZZ_HDR) $(patsubst %.c,$(O)/fuzz/obj/%.o,$(wildcard cmd/$(3)/*.c)) $(O)/libhs.a
	@mkdir -p $$(@D)
	$$(CC) $$(CPPFLAGS) $$(WARN) $$(CFLAGS) $$(LDFLAGS) \
	    -DSTAGE_ARGS='"$$(fuzz_args_$(1))"' -DSTAGE_NDJSON=$$(or $$(fuzz_ndjson_$(1)),0) \
	    -o $$@ $(2) $$(filter %.o,$$^) $(O)/libhs.a $$(LDLIBS_$(3)) $$(LDLIBS)
endef
$(foreach t,$(FUZZ_STAGES),$(eval $(call fuzz_rule,$(t),tests/fuzz/stage.c,$(fuzz_tool_$(t)))))
$(eval $(call fuzz_rule,replay,tests/fuzz/replay.c,hs-replay))
$(eval $(call fuzz_rule,state,tests/fuzz/state.c,hs-agg))

deps:
	@missing=; for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

demo: deps
	@$(MAKE) -s all
	PATH="$(CURDIR)/$(BIN):$$PATH"; \
	hs-replay testdata/uci | hs-window -w 1m -l 10s | hs-agg -g sensor -a count,avg,max,min,sum -f value | hs-fmt -o table

# The streaming variant: the mock cluster, the whole replay fanned out to
# one topic per sensor (eight partitions each, keyed by cycle, so that the
# mock's ~5 MB per partition keeps it all), a consumer group, window with
# the original job's 10 s of lateness, aggregate, table.
demo-kafka: deps
	@$(MAKE) -s all
	PATH="$(CURDIR)/$(BIN):$$PATH" bash -c '\
	coproc MOCK { hs-kafkacat --mock 3; }; read -r B <&"$${MOCK[0]}"; \
	for s in CE CP SE TS1 TS2 TS3 TS4 VS1; do echo "topic hydraulic-$$s 8"; done >&"$${MOCK[1]}"; \
	hs-replay testdata/uci | hs-kafkacat -P -b "$$B" -t "hydraulic-{sensor}" -k "{cycle}"; \
	hs-kafkacat -C -b "$$B" -G demo -e -q "^hydraulic-.*" | hs-window -w 1m -l 10s | \
	hs-agg -g sensor -a count,avg,max,min,sum -f value | hs-fmt'

# More than one machine: three instances of the partial pipeline in one
# consumer group, a merge of their partials, the same table.
demo-scale: deps
	@$(MAKE) -s all
	bash tests/demo-scale.sh

test: all
	HS_BIN="$(CURDIR)/$(BIN)" HS_UNIT="$(CURDIR)/$(O)/tests" prove -e bash tests/*.t

check: deps
	@$(MAKE) -s test

SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
sanitize: deps
	@$(MAKE) -s test O=build-san BIN=build-san/bin CFLAGS="$(SANFLAGS)" LDFLAGS="$(SANFLAGS)"

# AFL++ under ASan and UBSan, one target after the other (FUZZ_TARGET=name
# for one), each for FUZZ_SECONDS, niced; what it finds is copied into
# tests/fuzz/crashes/, which `make check` replays (tests/t0400-fuzz.t).
fuzz: deps
	@AFL_USE_ASAN=1 AFL_USE_UBSAN=1 $(MAKE) -s $(FUZZ_TARGETS:%=build-fuzz/fuzz/%) \
	    O=build-fuzz CC=$(FUZZ_CC) CFLAGS="-O1 -g"
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh build-fuzz \
	    $(or $(FUZZ_TARGET),$(FUZZ_TARGETS))

# run.sh makes the UCI-shaped files of 276 cycles once into the cache
# folder; replay.sh measures hs-replay alone on the same files
BENCH_CACHE = $${XDG_CACHE_HOME:-$$HOME/.cache}/hs-bench
bench: deps all
	HS_BIN="$(CURDIR)/$(BIN)" FULL="$(FULL)" bash tests/bench/run.sh
	HS_BIN="$(CURDIR)/$(BIN)" HS_BENCH_DATA="$(BENCH_CACHE)/uci-276" \
	    bash tests/bench/replay.sh
	HS_BIN="$(CURDIR)/$(BIN)" bash tests/bench/sql-load.sh
	HS_BIN="$(CURDIR)/$(BIN)" bash tests/bench/model.sh
	HS_BIN="$(CURDIR)/$(BIN)" bash tests/bench/scale.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(BINARIES:%=$(BIN)/%) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7/

clean:
	rm -rf build build-san build-fuzz bin

.PHONY: all deps demo demo-kafka demo-scale test check sanitize fuzz bench install clean
.PRECIOUS: $(O)/%.o
