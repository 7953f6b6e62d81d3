# numaplace: GNU make build.
#
#   make                 build build/numaplace and build/numaplace-hook
#   make check           every test (unit, golden, conformance, live, real stacks)
#   make bench           benchmarks; prints figures
#   make fuzz            libFuzzer over the parsers (clang)
#   make install         PREFIX, DESTDIR, SYSCONFDIR honoured
#   make deps            install the Debian 12 packages to build and test (root)
#   make deb             build/deb/numaplace_VERSION_ARCH.deb (contrib/debian)
#   make demo            build, then check a real QEMU on this machine
#   WERROR=1             warnings are errors (CI sets it)
#   V=1                  show the commands

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSCONFDIR ?= /etc
LIBVIRT_HOOKDIR ?= $(SYSCONFDIR)/libvirt/hooks/qemu.d
UNITDIR    ?= /lib/systemd/system
DESTDIR    ?=
PKG_CONFIG ?= pkg-config
CC         ?= cc
VERSION    := 0.1.0

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wvla -Wformat-security -Wformat=2 -Wundef \
        -Wno-format-truncation # messages are cut to their buffers on purpose
ifeq ($(WERROR),1)
WARN += -Werror
endif

PKGS_CORE := libxml-2.0
# libxml2 is opened on first use (src/util/libxml_load.h says why): its headers
# are needed, not its library; dlopen and threads are in glibc.  libnuma
# gives move_pages(2) to sampled checks, in the core (the hook samples
# too) and to `numaplace migrate`; libm computes the bounds samples state.
CORE_LINK := -lpthread -lnuma -lm
PKGS_CLI  := hwloc smartcols
PKGS_TEST := cmocka

# The layers, each a folder of src/: util (parsers of numbers, JSON and
# keyfiles, the sysroot, atomic files, bounded children), intent (what
# the domain XML or LXD config demands), evidence (what /proc, /sys and
# the run files show), judge (attribution, verdicts, decisions), report
# (JSON, JUnit, Prometheus, HTML, text).  They make the core library,
# which the hook links alone so it starts fast; src/cli is the front end.
CORE_LAYERS := util intent evidence judge report

# Each part is compiled with the include paths of what it may use and
# nothing more: the core (and the hook) sees its own folders and
# libxml2's headers, the front end adds src/cli, libvirt, hwloc and
# libsmartcols, the unit tests add cmocka.
CORE_CFLAGS := $(addprefix -Isrc/,$(CORE_LAYERS)) $(shell $(PKG_CONFIG) --cflags $(PKGS_CORE))
# libvirt's headers only: the library is opened on demand (cli_libvirt.c)
CLI_CFLAGS  := $(CORE_CFLAGS) -Isrc/cli $(shell $(PKG_CONFIG) --cflags $(PKGS_CLI) libvirt)
TEST_CFLAGS := $(CORE_CFLAGS) $(shell $(PKG_CONFIG) --cflags $(PKGS_TEST))
CLI_LIBS    := $(shell $(PKG_CONFIG) --libs $(PKGS_CLI))
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS_TEST))

# -MMD -MP: every object depends on exactly the headers it includes.
BASE_CFLAGS := -std=gnu11 -O2 -g -D_GNU_SOURCE -DNP_VERSION='"$(VERSION)"' \
               -DNP_SYSCONFDIR='"$(SYSCONFDIR)"' $(WARN) -MMD -MP
core_cflags = $(BASE_CFLAGS) $(CORE_CFLAGS) $(CFLAGS)
cli_cflags  = $(BASE_CFLAGS) $(CLI_CFLAGS) $(CFLAGS)
test_cflags = $(BASE_CFLAGS) $(TEST_CFLAGS) $(CFLAGS)

ifneq ($(V),1)
Q = @
say = @printf '  %-6s %s\n' $(1) $(2);
else
Q =
say =
endif

B := build

CLI_SRCS  := $(wildcard src/cli/*.c)
CORE_SRCS := $(foreach l,$(CORE_LAYERS),$(wildcard src/$(l)/*.c))
CORE_OBJS := $(CORE_SRCS:src/%.c=$(B)/src/%.o)
CLI_OBJS  := $(CLI_SRCS:src/%.c=$(B)/src/%.o)
HOOK_SRCS := $(wildcard hooks/*.c)
HOOK_OBJS := $(HOOK_SRCS:hooks/%.c=$(B)/hooks/%.o)
TEST_SRCS := $(wildcard tests/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(B)/tests/%)
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(HELPER_SRCS:tests/helpers/%.c=$(B)/tests/helpers/%)

PROGRAMS := $(B)/numaplace $(if $(HOOK_SRCS),$(B)/numaplace-hook)

all: $(PROGRAMS)

$(CORE_OBJS): $(B)/src/%.o: src/%.c Makefile
	$(call say,CC,$@)mkdir -p $(@D) && $(CC) $(core_cflags) -c -o $@ $<

$(CLI_OBJS): $(B)/src/%.o: src/%.c Makefile
	$(call say,CC,$@)mkdir -p $(@D) && $(CC) $(cli_cflags) -c -o $@ $<

$(B)/hooks/%.o: hooks/%.c Makefile
	$(call say,CC,$@)mkdir -p $(@D) && $(CC) $(core_cflags) -c -o $@ $<

$(B)/libnumaplace.a: $(CORE_OBJS)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(B)/numaplace: $(CLI_OBJS) $(B)/libnumaplace.a
	$(call say,LD,$@)$(CC) $(cli_cflags) $(LDFLAGS) -o $@ $(CLI_OBJS) $(B)/libnumaplace.a $(CLI_LIBS) $(CORE_LINK) $(LDLIBS)

$(B)/numaplace-hook: $(HOOK_OBJS) $(B)/libnumaplace.a
	$(call say,LD,$@)$(CC) $(core_cflags) $(LDFLAGS) -o $@ $(HOOK_OBJS) $(B)/libnumaplace.a $(CORE_LINK) $(LDLIBS)

$(B)/tests/%: tests/%.c $(B)/libnumaplace.a Makefile
	$(call say,CC,$@)mkdir -p $(@D) && $(CC) $(test_cflags) -Itests $(LDFLAGS) -o $@ $(abspath $<) $(B)/libnumaplace.a $(CORE_LINK) $(TEST_LIBS) $(LDLIBS)

$(B)/tests/helpers/%: tests/helpers/%.c Makefile
	$(call say,CC,$@)mkdir -p $(@D) && $(CC) $(core_cflags) $(LDFLAGS) -o $@ $< -lpthread $(LDLIBS)

# The hook again, reading its configuration below the build directory:
# tests/hostile/run runs it without root and without touching /etc.
$(B)/tests/numaplace-hook-testconf: $(HOOK_SRCS) $(B)/libnumaplace.a Makefile
	$(call say,LD,$@)mkdir -p $(@D) && $(CC) $(core_cflags) -UNP_SYSCONFDIR -DNP_SYSCONFDIR='"$(abspath $(B))/tests/etc"' \
	  $(LDFLAGS) -o $@ $(HOOK_SRCS) $(B)/libnumaplace.a $(CORE_LINK) $(LDLIBS)

-include $(wildcard $(B)/src/*/*.d $(B)/hooks/*.d $(B)/tests/*.d $(B)/tests/helpers/*.d)

tests-build: $(PROGRAMS) $(TEST_BINS) $(HELPER_BINS) $(if $(HOOK_SRCS),$(B)/tests/numaplace-hook-testconf)

# The one test command: every suite, with one closing summary line.
check: tests-build
	$(Q)NP_BUILD=$(abspath $(B)) tests/run-all

# Unit programs and golden outputs only: fast, no root, no QEMU.
check-unit: tests-build
	$(Q)NP_BUILD=$(abspath $(B)) NP_SUITES=unit tests/run-all

# Rewrite golden outputs from the current binary (review the diff).
golden-update: tests-build
	$(Q)NP_BUILD=$(abspath $(B)) NP_TESTS=$(abspath tests) NP_UPDATE_GOLDEN=1 tests/golden/run

# Debian 12 packages: one list, also read by .ci/run and contrib/quickstart.
DEB_PACKAGES := $(shell grep -v '^\#' contrib/debian-packages)

deps:
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEB_PACKAGES)

# A binary Debian package from this tree; the packaging is contrib/debian.
deb:
	$(Q)contrib/debian/build-deb $(B)/deb $(VERSION)

demo: all
	$(Q)NP_BUILD=$(abspath $(B)) contrib/demo

# libFuzzer over every parser (needs clang), FUZZ_SECONDS per target;
# `make check` runs each for a few seconds (tests/fuzz/run).
FUZZ_SECONDS ?= 60
fuzz:
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILD=$(abspath build-fuzz) tests/fuzz/run

# The unit, golden and hostile suites on an ASan+UBSan build in its own
# directory, build-sanitize/ (`make check` runs it too).
check-sanitize:
	$(Q)NP_TOP=$(CURDIR) NP_SUITES=sanitize NP_BUILD=$(abspath build-sanitize) tests/run-all

bench: tests-build
	$(Q)NP_BUILD=$(abspath $(B)) NP_TESTS=$(abspath tests) tests/bench/run

install: all
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(B)/numaplace $(DESTDIR)$(BINDIR)/numaplace
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 0644 contrib/man/numaplace.1 $(DESTDIR)$(MANDIR)/man1/numaplace.1
	install -d $(DESTDIR)$(MANDIR)/man5
	install -m 0644 contrib/man/numaplace.conf.5 $(DESTDIR)$(MANDIR)/man5/numaplace.conf.5
	install -d $(DESTDIR)$(BASHCOMPDIR)
	install -m 0644 contrib/bash-completion/numaplace $(DESTDIR)$(BASHCOMPDIR)/numaplace
	if [ -x $(B)/numaplace-hook ]; then \
	  install -d $(DESTDIR)$(LIBVIRT_HOOKDIR) && \
	  install -m 0755 $(B)/numaplace-hook $(DESTDIR)$(LIBVIRT_HOOKDIR)/numaplace; fi
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|/usr/local/bin/numaplace|$(BINDIR)/numaplace|' contrib/systemd/numaplace-scan.service \
	  >$(DESTDIR)$(UNITDIR)/numaplace-scan.service
	install -m 0644 contrib/systemd/numaplace-scan.timer $(DESTDIR)$(UNITDIR)/numaplace-scan.timer
	if [ -f contrib/numaplace.conf ]; then \
	  install -d $(DESTDIR)$(SYSCONFDIR)/numaplace && \
	  { [ -e $(DESTDIR)$(SYSCONFDIR)/numaplace/numaplace.conf ] || \
	    install -m 0644 contrib/numaplace.conf $(DESTDIR)$(SYSCONFDIR)/numaplace/numaplace.conf; }; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/numaplace $(DESTDIR)$(LIBVIRT_HOOKDIR)/numaplace \
	      $(DESTDIR)$(MANDIR)/man1/numaplace.1 $(DESTDIR)$(MANDIR)/man5/numaplace.conf.5 \
	      $(DESTDIR)$(BASHCOMPDIR)/numaplace \
	      $(DESTDIR)$(UNITDIR)/numaplace-scan.service $(DESTDIR)$(UNITDIR)/numaplace-scan.timer

clean:
	rm -rf $(B) build-sanitize build-fuzz

.PHONY: all check check-unit check-sanitize golden-update bench install uninstall clean tests-build deps demo fuzz deb
.DELETE_ON_ERROR:
