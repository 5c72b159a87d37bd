# One non-recursive Makefile for the whole toolkit.
#
#   make            build bin/analyze, bin/bench, bin/campaign
#   make check      install missing packages, build, run every test
#                   (normal build and ASan+UBSan build), end with
#                   "N passed, N failed"
#   make demo       the main job on the bundled datasets
#   make figures    regenerate plots/ from datasets/
#   make bench      analyze vs DuckDB, polars, datamash, pandas (bench/results-analyze.md)
#   make bench-runners  bench runners vs their reference tools
#   make install PREFIX=/usr/local
#   make deps       install the Debian packages (root), or print the command
#
# Objects go to build/ (build/asan/ for the sanitizer build); binaries to bin/.

ifeq ($(origin CC),default)
CC      := gcc
endif
PREFIX  ?= /usr/local
VERSION := 0.1.0

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2
ifeq ($(CI),true)
WARN    += -Werror
endif
CFLAGS  ?= -O2 -g
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) \
               -DTOOLKIT_VERSION='"$(VERSION)"'

# libcsv has no .pc file on Debian 12: <csv.h> and -lcsv. yajl (streaming
# JSON) and expat (XML) read other tools' result files (analyze/input_*.c).
ANALYZE_PKGS   := gsl jansson yajl expat
ANALYZE_CFLAGS  = $(shell pkg-config --cflags $(ANALYZE_PKGS) 2>/dev/null)
ANALYZE_LIBS    = $(shell pkg-config --libs $(ANALYZE_PKGS) 2>/dev/null) -lcsv -lm \
                  -pthread
CAMPAIGN_PKGS  := jansson libarchive
CAMPAIGN_CFLAGS = $(shell pkg-config --cflags $(CAMPAIGN_PKGS) 2>/dev/null)
CAMPAIGN_LIBS   = $(shell pkg-config --libs $(CAMPAIGN_PKGS) 2>/dev/null)
CMOCKA_LIBS     = $(shell pkg-config --libs cmocka 2>/dev/null)

# lib/: code analyze and campaign share (each links what it needs).
ANALYZE_SRCS  := $(wildcard analyze/*.c) lib/xalloc.c
ANALYZE_LIB   := $(filter-out analyze/main.c,$(ANALYZE_SRCS))
BENCH_SRCS    := $(wildcard runners/*.c) lib/suggest.c
CAMPAIGN_SRCS := $(wildcard runners/campaign/*.c) lib/xalloc.c lib/suggest.c
UNIT_SRCS     := $(wildcard tests/unit/*_test.c)

obj = $(patsubst %.c,$(1)/%.o,$(2))

BIN := bin/analyze bin/bench bin/campaign
UNIT_BINS := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRCS)) \
             build/tests/linesplit_portable_test

.PHONY: all check demo figures bench bench-runners install deps deps-bench \
        clean sanitize valgrind unit
all: $(BIN) $(UNIT_BINS)

# ---- analyze -------------------------------------------------------------
bin/analyze: $(call obj,build,$(ANALYZE_SRCS))
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(ANALYZE_LIBS)

build/analyze/%.o: analyze/%.c $(wildcard analyze/*.h lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(ANALYZE_CFLAGS) -Ilib -c -o $@ $<

# ---- bench (static, libc only) -------------------------------------------
bin/bench: $(call obj,build,$(BENCH_SRCS))
	@mkdir -p $(@D)
	$(CC) -static $(LDFLAGS) -o $@ $^ -lpthread -lm

build/runners/%.o: runners/%.c $(wildcard runners/*.h lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -Ilib -c -o $@ $<

# bench linpack and bench stream time loops of a few instructions, whose
# speed on some CPUs depends on where they lie against 64-byte boundaries
# (on an AMD EPYC the rolled daxpy ran 45% slower straddling one, and
# stream's Scale 5% faster at one placement the linker chose): loops start
# on one, so where the linker happens to put the code does not change the
# result. No instruction changes, only padding; see bench-linpack(1) and
# bench-stream(1).
build/runners/linpack.o build/runners/stream.o: BASE_CFLAGS += -falign-loops=64

build/lib/%.o: lib/%.c lib/%.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -c -o $@ $<

# ---- campaign (launcher; dynamic, jansson + libarchive) -------------------
bin/campaign: $(call obj,build,$(CAMPAIGN_SRCS))
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CAMPAIGN_LIBS) -lm

build/runners/campaign/%.o: runners/campaign/%.c $(wildcard runners/campaign/*.h lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(CAMPAIGN_CFLAGS) -Ilib -c -o $@ $<

# ---- unit tests (cmocka), linked with analyze's modules ---------------------
build/tests/%: tests/unit/%.c tests/unit/testutil.h $(call obj,build,$(ANALYZE_LIB))
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(ANALYZE_CFLAGS) -Ianalyze -Ilib -o $@ \
		$(filter %.c %.o,$^) $(ANALYZE_LIBS) $(CMOCKA_LIBS)

# linesplit's portable byte loop (used where SSE2 is missing), against
# libcsv by the same test.
build/tests/linesplit_portable_test: tests/unit/linesplit_test.c \
		tests/unit/testutil.h analyze/linesplit.c analyze/linesplit.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -DLINESPLIT_PORTABLE -Ianalyze -o $@ \
		tests/unit/linesplit_test.c analyze/linesplit.c -lcsv $(CMOCKA_LIBS)

# ---- sanitizer build: same sources, build/asan/ -----------------------------
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=all
ASAN_BIN   := build/asan/bin/analyze build/asan/bin/bench-dyn
ASAN_UNITS := $(patsubst tests/unit/%.c,build/asan/tests/%,$(UNIT_SRCS))

sanitize: $(ASAN_BIN) $(ASAN_UNITS)

build/asan/bin/analyze: $(call obj,build/asan,$(ANALYZE_SRCS))
	@mkdir -p $(@D)
	$(CC) $(ASAN_FLAGS) -o $@ $^ $(ANALYZE_LIBS)

# The sanitizers cannot link -static: bench-dyn is the same code, dynamic.
build/asan/bin/bench-dyn: $(call obj,build/asan,$(BENCH_SRCS))
	@mkdir -p $(@D)
	$(CC) $(ASAN_FLAGS) -o $@ $^ -lpthread -lm

build/asan/analyze/%.o: analyze/%.c $(wildcard analyze/*.h lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -Werror $(ASAN_FLAGS) $(ANALYZE_CFLAGS) -Ilib -c -o $@ $<

build/asan/lib/%.o: lib/%.c lib/%.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -Werror $(ASAN_FLAGS) -c -o $@ $<

build/asan/runners/%.o: runners/%.c $(wildcard runners/*.h lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -Werror $(ASAN_FLAGS) -Ilib -c -o $@ $<

build/asan/tests/%: tests/unit/%.c tests/unit/testutil.h $(call obj,build/asan,$(ANALYZE_LIB))
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -Werror $(ASAN_FLAGS) $(ANALYZE_CFLAGS) -Ianalyze -Ilib \
		-o $@ $(filter %.c %.o,$^) $(ANALYZE_LIBS) $(CMOCKA_LIBS)

# ---- packages ----------------------------------------------------------------
# The Debian 12 packages each target needs, one per line with what needs it,
# so that adding one is a one-line change next to the others:
#
#     TEST_PACKAGES  += PACKAGE   # tests/e2e/NN-name.sh: what for
#
# 'make deps' (run first by 'make check' and 'make demo') installs
# DEB_PACKAGES: building, the demo and every test. 'make check-clean'
# proves the list complete on a pristine Debian 12 root. Packages only
# 'make bench' / 'make bench-runners' need go to BENCH_PACKAGES, 'make
# fuzz' to FUZZ_PACKAGES, the host side of 'make check-clean' to
# CHECK_CLEAN_PACKAGES.
BUILD_PACKAGES := gcc make libc6-dev pkg-config
BUILD_PACKAGES += libgsl-dev                # analyze: statistics
BUILD_PACKAGES += libcsv-dev                # analyze: CSV parsing
BUILD_PACKAGES += libjansson-dev            # analyze, campaign: JSON
BUILD_PACKAGES += libarchive-dev            # campaign: guest images (cpio)
BUILD_PACKAGES += libyajl-dev               # analyze: other tools' JSON, streamed
BUILD_PACKAGES += libexpat1-dev             # analyze: Catch2's XML
DEMO_PACKAGES  := gnuplot-nox               # analyze --plot, make demo, make figures
DEMO_PACKAGES  += fonts-dejavu-core         # the figures' font, measured by analyze/plot_text.c
TEST_PACKAGES  := libcmocka-dev             # tests/unit
TEST_PACKAGES  += valgrind                  # tests/run --valgrind
TEST_PACKAGES  += python3                   # /usr/bin/python3: JSON, SVG, references
TEST_PACKAGES  += python3-numpy             # tests/e2e/17: reference quantiles
TEST_PACKAGES  += binutils                  # tests/e2e/28: size, readelf
TEST_PACKAGES  += file                      # file(1)
TEST_PACKAGES  += groff-base man-db         # man page checks, man -l
TEST_PACKAGES  += nginx-light               # tests/e2e/27, 32: HTTP server
TEST_PACKAGES  += qemu-system-x86           # qemu-tcg, qemu-kvm, microvm platforms
TEST_PACKAGES  += linux-image-amd64         # the guest kernel those platforms boot
TEST_PACKAGES  += slurm-wlm munge           # tests/e2e/36: a private Slurm cluster
TEST_PACKAGES  += iproute2 util-linux       # tests/e2e/36: its namespaces (ip, nsenter)
TEST_PACKAGES  += podman crun runc          # tests/e2e/31: the OCI platforms
TEST_PACKAGES  += librsvg2-bin              # tests/e2e/45, 48, 49: every SVG renders in rsvg-convert
TEST_PACKAGES  += chromium                  # tests/e2e/45, 49: SVGs and the gallery in headless Chromium
TEST_PACKAGES  += hyperfine                 # tests/e2e/60: hyperfine's exports
TEST_PACKAGES  += libbenchmark-dev g++      # tests/e2e/61: a Google Benchmark program
TEST_PACKAGES  += golang-go                 # tests/e2e/62: go test -bench
TEST_PACKAGES  += python3-pytest-benchmark  # tests/e2e/63: pytest-benchmark JSON
TEST_PACKAGES  += fio                       # tests/e2e/64: fio JSON
TEST_PACKAGES  += catch2                    # tests/e2e/65: Catch2 XML
TEST_PACKAGES  += ministat                  # tests/e2e/66: plain numbers, as ministat reads them
DEB_PACKAGES    = $(BUILD_PACKAGES) $(DEMO_PACKAGES) $(TEST_PACKAGES)

BENCH_PACKAGES := datamash python3-pandas python3-scipy fio hyperfine wrk \
                  time
BENCH_PACKAGES += linux-perf                # make bench: bench/profile.py

deps:
	@scripts/deps.sh $(DEB_PACKAGES)

# The npm peers of make bench (DuckDB, polars), pinned by
# bench/peers/package-lock.json, into build/bench/peers; Debian's nodejs
# and npm when node or npm is missing.
deps-bench:
	@scripts/deps.sh $(DEB_PACKAGES) $(BENCH_PACKAGES)
	@bench/peers/install.sh

# ---- test, demo, figures, bench ----------------------------------------------
unit: $(UNIT_BINS)

check: deps
	$(MAKE) all sanitize
	tests/run --bin bin --asan build/asan --valgrind

valgrind: all
	tests/run --bin bin --valgrind --only valgrind

demo: deps
	$(MAKE) all
	scripts/demo.sh

figures: all
	scripts/figures.sh

# Re-convert the EuroSys'21 artifact extract into datasets/eurosys21-*.csv.
# It is not part of the repository: skip with a message when it is absent.
EUROSYS21_DIR ?= ../shared/reference/eurosys21
.PHONY: datasets
datasets:
	@if [ -f "$(EUROSYS21_DIR)/INDEX.md" ]; then \
		datasets/convert-eurosys21 "$(EUROSYS21_DIR)" datasets; \
	else \
		echo "datasets: no EuroSys'21 extract at $(EUROSYS21_DIR)" \
		     "(set EUROSYS21_DIR); keeping the committed datasets"; \
	fi

bench: deps-bench
	$(MAKE) all
	bench/analyze.sh

bench-runners: deps-bench
	$(MAKE) all
	bench/runners.sh

# ---- make bench's helpers: input generator, libcsv floor (not installed) -----
build/bench/gencsv: bench/gencsv.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $< -lm

build/bench/csvfloor: bench/csvfloor.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $< -lcsv

# ---- install -------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bench-toolkit/templates
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 templates/*.gp $(DESTDIR)$(PREFIX)/share/bench-toolkit/templates/

clean:
	rm -rf build bin

# ---- campaign's platform definitions (bin/campaign looks in
# $(PREFIX)/share/bench-toolkit/platforms when not run from a checkout) ------
.PHONY: install-platforms
install: install-platforms
install-platforms:
	install -d $(DESTDIR)$(PREFIX)/share/bench-toolkit/platforms \
		$(DESTDIR)$(PREFIX)/share/bench-toolkit/servers
	install -m 644 runners/platforms/*.json \
		$(DESTDIR)$(PREFIX)/share/bench-toolkit/platforms/
	install -m 644 runners/servers/*.json \
		$(DESTDIR)$(PREFIX)/share/bench-toolkit/servers/

# ---- fuzzing: analyze's loader and pipeline (tests/fuzz/) ---------------------
#   make fuzz [FUZZ_SECONDS=60]   run libFuzzer (clang) on one core; new
#                                 inputs go to build/fuzz/corpus
#   make fuzz-merge               minimize them into tests/fuzz/corpus
# make check only replays tests/fuzz/corpus (build/asan/tests/
# fuzz_replay_test, gcc + ASan/UBSan, counted by tests/run as unit tests).
FUZZ_PACKAGES := clang libclang-rt-14-dev
FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 60
# clang's -Wformat=2 also flags a va_list passed on to vsnprintf by a
# function without a format attribute (util.c's diag_vset), which gcc's
# does not: the gcc build keeps that check.
FUZZ_FLAGS    := -O1 -g -fsanitize=fuzzer,address,undefined \
                 -fno-omit-frame-pointer -fno-sanitize-recover=all \
                 -Wno-format-nonliteral
FUZZ_RUN      := -max_len=4096 -timeout=5 \
                 -dict=tests/fuzz/csv.dict -artifact_prefix=build/fuzz/
FUZZ_DEPS     := tests/fuzz/load_fuzz.c tests/fuzz/load_fuzz.h \
                 $(ANALYZE_LIB) $(wildcard analyze/*.h lib/*.h)

.PHONY: fuzz fuzz-merge deps-fuzz
deps-fuzz:
	@scripts/deps.sh $(FUZZ_PACKAGES)

build/fuzz/load_fuzz: $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_FLAGS) $(ANALYZE_CFLAGS) -Ianalyze -Ilib \
		-o $@ tests/fuzz/load_fuzz.c $(ANALYZE_LIB) $(ANALYZE_LIBS)

# One process on one core (the machine is shared): no -jobs, no -workers.
fuzz: deps-fuzz
	$(MAKE) build/fuzz/load_fuzz
	@mkdir -p build/fuzz/corpus
	build/fuzz/load_fuzz $(FUZZ_RUN) -max_total_time=$(FUZZ_SECONDS) \
		build/fuzz/corpus tests/fuzz/corpus

# Edges only (-use_counters=0): hit counts would keep ~1000 files where
# ~150 cover the same edges.
fuzz-merge: build/fuzz/load_fuzz
	build/fuzz/load_fuzz $(FUZZ_RUN) -use_counters=0 -merge=1 \
		tests/fuzz/corpus build/fuzz/corpus

build/asan/tests/fuzz_replay_test: tests/fuzz/replay.c tests/fuzz/load_fuzz.c \
		tests/fuzz/load_fuzz.h $(call obj,build/asan,$(ANALYZE_LIB))
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -Werror $(ASAN_FLAGS) $(ANALYZE_CFLAGS) -Ianalyze -Ilib \
		-o $@ tests/fuzz/replay.c tests/fuzz/load_fuzz.c \
		$(call obj,build/asan,$(ANALYZE_LIB)) $(ANALYZE_LIBS)

sanitize: build/asan/tests/fuzz_replay_test
