# hs - streaming analytics for hydraulic sensor data, as small Unix tools.
#
#   make            build every binary into bin/
#   make demo       install missing Debian packages, build, run the demo
#   make demo-kafka the same pipeline through Kafka (the mock cluster)
#   make check      install missing Debian packages, build, run all tests
#   make sanitize   all tests under AddressSanitizer + UBSan
#   make bench      speed and memory against Miller and jq (tests/bench)
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
COMMON_SRC = $(wildcard common/*.c)
COMMON_OBJ = $(COMMON_SRC:%.c=$(O)/%.o)
COMMON_HDR = $(wildcard common/*.h)
UNIT_TESTS = $(patsubst tests/unit/%.c,$(O)/tests/%,$(wildcard tests/unit/*.c))

# Debian packages the build, the tests and the benchmarks need; the last
# line is the real systems hs-fmt's output is tested against.
DEBS = gcc make libc6-dev libcsv-dev libjansson-dev librdkafka-dev tzdata perl mandoc \
	miller jq kcat hyperfine time curl \
	sqlite3 postgresql prometheus influxdb librsvg2-bin netpbm

all: $(BINARIES:%=$(BIN)/%) $(UNIT_TESTS)

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
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/libhs.a $(LDLIBS)

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

# The streaming variant: the mock cluster, the replay fanned out to one
# topic per sensor, a consumer group, window, aggregate, table.
demo-kafka: deps
	@$(MAKE) -s all
	PATH="$(CURDIR)/$(BIN):$$PATH" bash -c '\
	coproc MOCK { hs-kafkacat --mock 3; }; read -r B <&"$${MOCK[0]}"; \
	hs-replay -c 0-29 testdata/uci | hs-kafkacat -P -b "$$B" -t "hydraulic-{sensor}" -k "{sensor}"; \
	hs-kafkacat -C -b "$$B" -G demo -e -q "^hydraulic-.*" | hs-window -w 1m -l 1h | \
	hs-agg -g sensor -a count,avg,max,min,sum -f value | hs-fmt'

test: all
	HS_BIN="$(CURDIR)/$(BIN)" HS_UNIT="$(CURDIR)/$(O)/tests" prove -e bash tests/*.t

check: deps
	@$(MAKE) -s test

SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
sanitize: deps
	@$(MAKE) -s test O=build-san BIN=build-san/bin CFLAGS="$(SANFLAGS)" LDFLAGS="$(SANFLAGS)"

bench: deps all
	HS_BIN="$(CURDIR)/$(BIN)" bash tests/bench/run.sh
	HS_BIN="$(CURDIR)/$(BIN)" bash tests/bench/kafka.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(BINARIES:%=$(BIN)/%) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7/

clean:
	rm -rf build build-san bin

.PHONY: all deps demo demo-kafka test check sanitize bench install clean
.PRECIOUS: $(O)/%.o
