# vind - one non-recursive GNU Makefile. Flags for every library come from pkg-config.
#
#   make            libvind, the programs and the Dutch lexicon, in $(BUILD)/
#   make check      installs missing Debian packages, builds, runs every test (unit, e2e, sanitizers)
#   make demo       installs, builds, indexes the sample site and serves it
#   make install    PREFIX=/usr/local DESTDIR=
#   make bench | bench-scale | eval | eval-morph | fuzz | check-asan
#
# Folders may add rules in a Makefile.local of their own (notmuch style).

BUILD      ?= build
PREFIX     ?= /usr/local
DESTDIR    ?=
PKG_CONFIG ?= pkg-config
CC         ?= cc
CXX        ?= c++
PYTHON     ?= python3
CORPUS     ?= $(abspath $(CURDIR)/../shared/corpus)

PKGS := glib-2.0 gobject-2.0 poppler-glib cairo tesseract libxml-2.0 jansson libmicrohttpd xapian-core hunspell

VERSION   := 0.1.0
OPT       ?= -O2 -g
SANITIZE  ?=
ifeq ($(SANITIZE),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif

# pkg-config runs once, when a recipe first needs the flags (each variable
# replaces itself by its value), never while the Makefile is read: `make demo`
# and `make check` install the packages first (scripts/deps.sh) and build in a
# sub-make, so a fresh machine sees no "Package glib-2.0 was not found".
# Flags made from these are recursive (=) for the same reason.
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell $$(PKG_CONFIG) --cflags $$(PKGS) 2>/dev/null))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $$(shell $$(PKG_CONFIG) --libs $$(PKGS) 2>/dev/null) \
                 -lm -lpthread)$(PKG_LIBS)
# libstemmer (Snowball, no .pc file) only for the tools that compare vind's
# stems with it: libvind stems through Xapian's copy of the same algorithms
# (lib/stem.c says why).
STEMMER_LIBS := -lstemmer

CPPFLAGS_ALL := -Iinclude -Ilib -D_GNU_SOURCE
CFLAGS_ALL    = -std=c11 -Wall -Wextra -Werror -fPIC -fvisibility=hidden $(OPT) $(SAN_FLAGS) \
                $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(CFLAGS)
CXXFLAGS_ALL  = -std=c++17 -Wall -Wextra -Werror -fPIC -fvisibility=hidden $(OPT) $(SAN_FLAGS) \
                $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(CXXFLAGS)
LDFLAGS_ALL  := $(SAN_FLAGS) $(LDFLAGS)

LIB_C_SRCS   := $(sort $(wildcard lib/*.c))
LIB_CXX_SRCS := $(sort $(wildcard lib/*.cc))
LIB_OBJS     := $(LIB_C_SRCS:%.c=$(BUILD)/%.o) $(LIB_CXX_SRCS:%.cc=$(BUILD)/%.o)
LIBVIND_A    := $(BUILD)/libvind.a
LIBVIND_SO   := $(BUILD)/libvind.so.0

CLI_OBJS     := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard cli/*.c)))
INDEXER_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard indexer/*.c)))
SEARCHD_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard searchd/*.c)))
PROGRAMS     := $(BUILD)/bin/vind $(BUILD)/bin/vind-index $(BUILD)/bin/vind-searchd

UNIT_SRCS    := $(sort $(wildcard tests/unit/test_*.c))
UNIT_TESTS   := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

DATADIR_BUILD := $(BUILD)/share/vind
STOPWORDS     := $(wildcard stopwords/*.txt)
DATA_FILES    := $(STOPWORDS:stopwords/%=$(DATADIR_BUILD)/stopwords/%)

.SECONDARY:
.PHONY: all demo deps check check-build check-run check-asan demo install bench bench-scale eval eval-morph fuzz clean format
all: $(LIBVIND_A) $(LIBVIND_SO) $(PROGRAMS) $(DATA_FILES) $(EXTRA_DATA)

deps:
	@sh scripts/deps.sh

# V=1 shows whole command lines; otherwise one short line per step, as
# `  CC      build/lib/index.o`. $(call say,LABEL) prints it.
V ?= 0
ifeq ($(V),0)
Q := @
endif
say = @$(if $(Q),printf '  %-7s %s\n' '$(1)' '$@')

# The data directory compiled into libvind (lib/datadir.c). Only datadir.o
# depends on this stamp, which is rewritten only when PREFIX changes: a
# `make install PREFIX=/opt/vind` after `make` recompiles that one file and
# relinks, instead of installing a library that looks in /usr/local.
PREFIX_STAMP := $(BUILD)/prefix.stamp
.PHONY: FORCE
$(PREFIX_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@

$(BUILD)/lib/datadir.o: $(PREFIX_STAMP)
$(BUILD)/lib/datadir.o: CPPFLAGS_ALL += -DVIND_DEFAULT_DATADIR='"$(PREFIX)/share/vind"'

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $@")
	$(Q)$(CXX) $(CXXFLAGS_ALL) -MMD -MP -c $< -o $@

$(LIBVIND_A): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(call say,AR)
	$(Q)rm -f $@ && ar rcs $@ $^

# lib/libvind.map exports the VIND_API functions (all vind_*) and keeps every
# other symbol local, C++ template instances of lib/xapian_wrap.cc included;
# -fvisibility=hidden already hides the vind_ functions that are not VIND_API.
$(LIBVIND_SO): $(LIB_OBJS) lib/libvind.map
	$(call say,LINK)
	$(Q)$(CXX) -shared -Wl,-soname,libvind.so.0 -Wl,--version-script=lib/libvind.map $(LDFLAGS_ALL) -o $@ $(LIB_OBJS) $(PKG_LIBS)

# Programs link with --as-needed: PKG_LIBS names every library of libvind
# (poppler, cairo, libxml2, hunspell, ...), and without it each `vind search`
# would map and relocate the whole PDF stack it never calls (Debian's gcc
# passes --as-needed by default, but not with -fsanitize nor does clang).
# Only the libvind.a members a program references are linked, so `vind` and
# vind-searchd need neither poppler nor libxml2 (tests/e2e/test_symbols.py).
# PROGRAM_LIBS names libstdc++ first: the dynamic loader resolves libstdc++'s
# own ~3,300 symbol relocations (most of a C++ program's start-up) in load
# order, and each one then stops at libstdc++ instead of first missing in
# glib, jansson and xapian: 10% of the loader's work at every start
# of `vind` (3.07 -> 2.76 M instructions, callgrind on `vind --version`).
PROGRAM_LDFLAGS := -Wl,--as-needed
PROGRAM_LIBS     = -lstdc++ $(PKG_LIBS)

# vind-searchd, vind-index (and bench/search-cost, which measures what the
# daemon does) allocate with tcmalloc (Debian's libtcmalloc-minimal4; README, "Dependencies"): a
# search makes thousands of small allocations (tokens, snippet spans, JSON
# nodes, Xapian's posting lists) and glibc's malloc/free were ~15% of the
# daemon's CPU. Measured (interleaved, loaded 2-core VM): daemon CPU per
# request 0.90-0.91 -> 0.70-0.80 ms; bench/search-cost median 0.49-0.50 ->
# 0.37-0.41 ms. vind-index: Xapian's per-posting maps and libxml2's DOM
# are small allocations too (glibc's malloc/free/consolidate ~12% of the
# CPU over the shared site, perf); 2.61 -> 2.33 s of CPU over its 1,175
# HTML pages (least of 4 interleaved runs; docs/scaling.md, session 9).
# Linked by file name (no -dev package: only the runtime
# library is needed) and kept with --no-as-needed, since nothing names its
# symbols. Not in sanitizer builds: ASan, TSan and valgrind bring their own
# allocator.
ifeq ($(SAN_FLAGS)$(findstring -fsanitize,$(CFLAGS) $(LDFLAGS)),)
FAST_MALLOC := -Wl,--no-as-needed -l:libtcmalloc_minimal.so.4 -Wl,--as-needed
endif

# `vind` (and only `vind`) takes GLib and jansson from their static
# archives (the same Debian -dev packages): every command is a process, and
# each shared library costs its start ~6 page faults (its data relocated, its
# headers read) plus ~8 system calls to map it; GLib also pulls libpcre2,
# which vind never calls. Measured, `vind --version`: 194 -> 164 page
# faults, CPU median 10.4 -> 9.0 ms (loaded 2-core VM, docs/cli.md). The
# price: a Debian security update of libglib2.0-0 or libjansson4
# reaches `vind` only when it is rebuilt, so the programs that read the
# network or untrusted files (vind-searchd, vind-index) stay dynamic and get
# it at their next restart; `make CLI_STATIC=0` links `vind` the same way
# (a distribution package should: Debian policy, 4.13, "embedded code copies").
# Not in sanitizer builds (their runtimes want the shared libraries).
CLI_STATIC ?= 1
ifeq ($(CLI_STATIC):$(SAN_FLAGS)$(findstring -fsanitize,$(CFLAGS) $(LDFLAGS)),1:)
CLI_LIBS = -lstdc++ -Wl,-Bstatic -lglib-2.0 -ljansson -Wl,-Bdynamic $(PKG_LIBS)
else
CLI_LIBS = $(PROGRAM_LIBS)
endif

$(BUILD)/bin/vind: $(CLI_OBJS) $(LIBVIND_A)
	@mkdir -p $(dir $@)
	$(call say,LINK)
	$(Q)$(CXX) $(LDFLAGS_ALL) $(PROGRAM_LDFLAGS) -o $@ $^ $(CLI_LIBS)

$(BUILD)/bin/vind-index: $(INDEXER_OBJS) $(LIBVIND_A)
	@mkdir -p $(dir $@)
	$(call say,LINK)
	$(Q)$(CXX) $(LDFLAGS_ALL) $(PROGRAM_LDFLAGS) -o $@ $^ $(PROGRAM_LIBS) $(FAST_MALLOC)

$(BUILD)/bin/vind-searchd: $(SEARCHD_OBJS) $(LIBVIND_A)
	@mkdir -p $(dir $@)
	$(call say,LINK)
	$(Q)$(CXX) $(LDFLAGS_ALL) $(PROGRAM_LDFLAGS) -o $@ $^ $(PROGRAM_LIBS) $(FAST_MALLOC)

# TEST_LIBS: what one test links beyond libvind's libraries (set per test).
$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIBVIND_A)
	@mkdir -p $(dir $@)
	$(call say,LINK)
	$(Q)$(CXX) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

$(BUILD)/tests/test_stem: TEST_LIBS := $(STEMMER_LIBS)
# searchd's admission logic is pure C without libmicrohttpd: tested on its own.
$(BUILD)/tests/test_admission: $(BUILD)/searchd/admission.o
# So is its known-cheap search memo.
$(BUILD)/tests/test_costmemo: $(BUILD)/searchd/costmemo.o
# And its reading of a trusted proxy's X-Forwarded-For.
$(BUILD)/tests/test_proxy: $(BUILD)/searchd/proxy.o

$(DATADIR_BUILD)/stopwords/%: stopwords/%
	@mkdir -p $(dir $@)
	$(call say,CP)
	$(Q)cp $< $@

-include $(sort $(wildcard */Makefile.local */*/Makefile.local))

# Seconds of fuzzing per fuzz target in `make check` (tests/e2e/test_fuzz_regressions.py).
CHECK_FUZZ_SECONDS ?= 8

# The whole suite: unit tests, end-to-end tests on the real binaries, then the
# same again under ASan/UBSan. One summary line at the end (CI reads it).
# The builds use every core: CI calls a plain `make check`, and one core
# building the plain, the sanitized and the fuzzing builds in turn took about
# 6 of the run's 24 minutes (session 18).
CHECK_JOBS ?= $(shell env -u OMP_THREAD_LIMIT -u OMP_NUM_THREADS nproc 2>/dev/null || echo 2)
check: deps
	@$(MAKE) --no-print-directory check-build
	@CORPUS=$(CORPUS) PYTHON=$(PYTHON) VIND_FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS) sh tests/run.sh $(BUILD) build-asan

# What `make check` runs its tests on: the plain build, the sanitized one, the fuzzers.
check-build:
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) all $(UNIT_TESTS) $(BUILD)/sample-site/index.html
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) BUILD=build-asan SANITIZE=1 all \
	    $(subst $(BUILD)/,build-asan/,$(UNIT_TESTS)) build-asan/sample-site/index.html
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) fuzz-build

check-run: all $(UNIT_TESTS) $(BUILD)/sample-site/index.html
	@CORPUS=$(CORPUS) PYTHON=$(PYTHON) sh tests/run.sh $(BUILD)

check-asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SANITIZE=1 all $(subst $(BUILD)/,build-asan/,$(UNIT_TESTS)) \
	    build-asan/sample-site/index.html
	@CORPUS=$(CORPUS) PYTHON=$(PYTHON) sh tests/run.sh build-asan

# The demo: install, build, index the bundled sample site, serve it.
DEMO_DB     ?= $(BUILD)/demo.db
DEMO_LISTEN ?= 127.0.0.1:8080
demo: deps
	@$(MAKE) --no-print-directory all $(BUILD)/sample-site/index.html
	@$(if $(Q),echo "  INDEX   $(BUILD)/sample-site -> $(DEMO_DB)")
	$(Q)$(BUILD)/bin/vind-index --db $(DEMO_DB) --base-url / $(BUILD)/sample-site
	@echo
	@echo "vind demo: open http://$(DEMO_LISTEN)/zoeken  (Ctrl-C stops it)"
	@echo
	$(Q)$(BUILD)/bin/vind-searchd --db $(DEMO_DB) --listen $(DEMO_LISTEN)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/vind \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/vind $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/doc/vind/examples
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(LIBVIND_A) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(LIBVIND_SO) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libvind.so.0 $(DESTDIR)$(PREFIX)/lib/libvind.so
	install -m 644 $(filter-out include/vind/xapian.h,$(wildcard include/vind/*.h)) $(DESTDIR)$(PREFIX)/include/vind/
	cp -r $(DATADIR_BUILD)/. $(DESTDIR)$(PREFIX)/share/vind/
	install -m 644 $(wildcard docs/man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/ 2>/dev/null || true
	install -m 644 examples/search.c $(DESTDIR)$(PREFIX)/share/doc/vind/examples/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' vind.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/vind.pc

# Timings, never pass/fail: every bench/*.sh, given the build and the corpus.
bench: all
	@for script in $(sort $(wildcard bench/*.sh)); do sh $$script $(BUILD) $(CORPUS); done

# Index and query figures at 10k, 100k and 1M generated documents (bench/scale.py; timing only,
# never part of check). SCALE_SIZES=10000,100000 leaves out the long 1M run.
SCALE_SIZES ?= 10000,100000,1000000
bench-scale: all
	python3 bench/scale.py $(BUILD) --sizes $(SCALE_SIZES) --out $(BUILD)/bench-scale.md

format:
	clang-format -i $(wildcard include/vind/*.h lib/*.[ch] lib/*.cc cli/*.[ch] indexer/*.[ch] searchd/*.[ch] tests/unit/*.[ch])

clean:
	rm -rf build build-asan build-fuzz

# Unit tests too: a public struct that grows (vind_index_report_t, vind_hit_t)
# must rebuild the tests that hold one on their stack, or an incremental build
# runs a test compiled against the old layout (a bogus failure, seen once).
-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(INDEXER_OBJS:.o=.d) $(SEARCHD_OBJS:.o=.d) \
         $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%.d)
