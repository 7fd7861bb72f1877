# reclaim-advisor: plain GNU make.  `make help` lists the targets.
#
#   make            build build/reclaim-advisor
#   make test       unit tests (cmocka) + end-to-end tests
#   make check      test, the fixpoint test over every sample of the recorded histories
#                   too, the unit and end-to-end tests again under ASan+UBSan,
#                   the fuzz corpus replay and the Debian package check
#   make fuzz       libFuzzer harnesses (clang); make fuzz-replay replays the corpus (gcc)
#   make bench      wall time and peak memory of the main commands
#   make bench-effectiveness  the QEMU effectiveness benchmark (about an hour; docs/effectiveness.md)
#   make static     build/reclaim-advisor-static (libc included: the benchmark guests' recorder)
#   make install    PREFIX=/usr/local DESTDIR= (program, data, man pages, completion, units)
#   make package-check  build the .deb from a clean clone, lintian, run it
#   V=1             show the commands

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/reclaim-advisor
MANDIR   ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
LOCALSTATEDIR ?= /var
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

BUILD    ?= build
CC       ?= cc
PKGS     := json-c
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null)

OPT      ?= -O2 -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla
CPPFLAGS += -D_GNU_SOURCE -DADVISOR_VERSION='"$(VERSION)"' \
	    -DADVISOR_DATADIR='"$(DATADIR)"' -DADVISOR_SYSCONFDIR='"$(SYSCONFDIR)"'
CFLAGS   += -std=c17 $(OPT) $(WARN) $(PKG_CFLAGS)
LDLIBS   += $(PKG_LIBS) -lm

ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

MAINS    := advisor/cli/main.c $(wildcard advisor/cli/main_*.c)
LIB_SRC  := $(filter-out $(MAINS),$(sort $(wildcard advisor/*/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/libadvisor.a
BIN      := $(BUILD)/reclaim-advisor

TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
E2E      := $(sort $(wildcard tests/e2e/*.sh))

.PHONY: all test unit e2e check asan valgrind fuzz fuzz-replay bench bench-effectiveness install uninstall clean \
	help ansible static man generated package-check

all: $(BIN)

# Objects depend on the configuration that is compiled into them (install
# paths, version, sanitizers), so `make install PREFIX=/usr` after a plain
# `make` rebuilds instead of installing a binary that looks in /usr/local.
CONFIG_STAMP := $(BUILD)/config.stamp
CONFIG_LINE  := $(PREFIX) $(BINDIR) $(DATADIR) $(SYSCONFDIR) $(LOCALSTATEDIR) $(VERSION) $(SAN) $(OPT) $(CC)
$(shell mkdir -p $(BUILD) && (test "$$(cat $(CONFIG_STAMP) 2>/dev/null)" = "$(CONFIG_LINE)" || echo "$(CONFIG_LINE)" > $(CONFIG_STAMP)))

$(BUILD)/obj/%.o: %.c $(CONFIG_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BIN): $(BUILD)/obj/advisor/cli/main.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The Ansible binary module: the same library behind Ansible's JSON-args contract.
# Ansible copies it to targets that need not have json-c, so it is linked in
# from Debian's -dev archive (libjson-c.a: under 100 KiB); only libc and libm
# stay shared, and every Linux target has them.
ANSIBLE_BIN := $(BUILD)/reclaim_advisor
ANSIBLE_LIBS := -Wl,-Bstatic $(shell pkg-config --static --libs $(PKGS)) -Wl,-Bdynamic -lm
$(ANSIBLE_BIN): $(BUILD)/obj/advisor/cli/main_ansible.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(ANSIBLE_LIBS)

# The same program linked statically, libc included, for the effectiveness
# benchmark's busybox guests (bench/effectiveness/run-one.sh records with it
# inside the guest, which has no shared libraries at all).  Not built by `all`.
STATIC_BIN := $(BUILD)/reclaim-advisor-static
$(STATIC_BIN): $(BUILD)/obj/advisor/cli/main.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -static -o $@ $^ $(shell pkg-config --static --libs $(PKGS)) -lm

static: $(STATIC_BIN)

ansible: $(ANSIBLE_BIN)
	install -d contrib/ansible/library
	install -m 0755 $(ANSIBLE_BIN) contrib/ansible/library/reclaim_advisor

$(BUILD)/tests/%: tests/%.c $(LIB) $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(CMOCKA_CFLAGS) -Iadvisor -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS) $(CMOCKA_LIBS)

# test_advise_model counts the watermark model's runs in one advice: every
# call the library makes to wm_model_compute goes through the test's wrapper.
$(BUILD)/tests/test_advise_model: LDFLAGS += -Wl,--wrap=wm_model_compute

# Every suite's outcome is appended to $(RESULTS); `make check` sums them up
# in one closing line ("check: N passed, M failed").
RESULTS := build/results.txt

unit: $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do \
		echo "== $$t"; \
		if $$t; then echo "pass $$t" >> $(RESULTS); else echo "fail $$t" >> $(RESULTS); fail=1; fi; \
	done; exit $$fail

e2e: $(BIN) $(ANSIBLE_BIN)
	@fail=0; for t in $(E2E); do \
		echo "== $$t"; \
		if BIN=$(abspath $(BIN)) bash $$t; then echo "pass $(BUILD) $$t" >> $(RESULTS); \
		else echo "fail $(BUILD) $$t" >> $(RESULTS); fail=1; fi; \
	done; exit $$fail

test: unit e2e

# The whole suite again with AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build/asan SAN=1 OPT="-O1 -g" test

check:
	@mkdir -p build && rm -f $(RESULTS)
	@status=0; \
	$(MAKE) --no-print-directory test || status=1; \
	FIXPOINT_EVERY_SAMPLE=1 $(BUILD)/tests/test_fixpoint && echo "pass fixpoint-every-sample" >> $(RESULTS) \
		|| { echo "fail fixpoint-every-sample" >> $(RESULTS); status=1; }; \
	$(MAKE) --no-print-directory asan || status=1; \
	$(MAKE) --no-print-directory fuzz-replay && echo "pass fuzz-replay" >> $(RESULTS) \
		|| { echo "fail fuzz-replay" >> $(RESULTS); status=1; }; \
	$(MAKE) --no-print-directory package-check && echo "pass package-check" >> $(RESULTS) \
		|| { echo "fail package-check" >> $(RESULTS); status=1; }; \
	echo; grep '^fail' $(RESULTS) || true; \
	echo "check: $$(grep -c '^pass' $(RESULTS)) passed, $$(grep -c '^fail' $(RESULTS)) failed"; \
	exit $$status

valgrind: $(TEST_BIN)
	@for t in $(TEST_BIN); do valgrind -q --error-exitcode=1 --leak-check=full $$t || exit 1; done

# libFuzzer harnesses need clang; the corpus replay builds with the default CC.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
fuzz:
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
		mkdir -p build/fuzz && \
		clang $(CPPFLAGS) -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) -Iadvisor \
			-o build/fuzz/$$n $$f $(filter-out $(MAINS),$(LIB_SRC)) $(PKG_LIBS) -lm || exit 1; \
		echo "built build/fuzz/$$n (run: build/fuzz/$$n tests/fuzz/corpus/$${n#fuzz_})"; \
	done

fuzz-replay: $(LIB)
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
		mkdir -p $(BUILD)/fuzz && \
		$(CC) $(CPPFLAGS) $(CFLAGS) -Iadvisor -DFUZZ_REPLAY -o $(BUILD)/fuzz/$$n-replay $$f tests/fuzz/replay.c $(LIB) $(LDFLAGS) $(LDLIBS) || exit 1; \
		$(BUILD)/fuzz/$$n-replay tests/fuzz/corpus/$${n#fuzz_} || exit 1; \
	done

bench: $(BIN)
	@for b in $(sort $(wildcard bench/*.sh)); do BIN=$(abspath $(BIN)) bash $$b || exit 1; done

# Boots about 70 throwaway QEMU guests, one at a time under /work/qemu.lock
# (scripts/install-deps --bench); resumable; never part of test, check or bench.
bench-effectiveness: $(BIN) $(STATIC_BIN)
	BIN=$(abspath $(BIN)) bash bench/effectiveness/matrix.sh
	BIN=$(abspath $(BIN)) bash bench/effectiveness/report.sh

# ---- installed text: man pages, bash completion, systemd units ----
# The sources carry @BINDIR@, @DATADIR@, @SYSCONFDIR@, @LOCALSTATEDIR@,
# @VERSION@ and @DATE@; man pages also pull in the shared sections
# (".\" @include FILE" lines: host options, environment, files), so each is
# written once.  In roff a '-' must be '\-' to stay a hyphen in a path.
MAN_SRC  := $(sort $(wildcard man/*.8.in))
MAN_OUT  := $(MAN_SRC:man/%.in=$(BUILD)/man/%)
UNIT_OUT := $(BUILD)/systemd/reclaim-advisor-audit.service $(BUILD)/systemd/reclaim-advisor-audit.timer \
	    $(BUILD)/systemd/reclaim-advisor-record.service
COMP_OUT := $(BUILD)/bash-completion/reclaim-advisor
# The date of the man pages: the package's (dpkg sets SOURCE_DATE_EPOCH from
# debian/changelog), else the last commit's, so a rebuild is reproducible.
MAN_DATE := $(shell if [ -n "$$SOURCE_DATE_EPOCH" ]; then date -u -d "@$$SOURCE_DATE_EPOCH" +%Y-%m-%d; \
	else git log -1 --format=%cs 2>/dev/null; fi)
roff = $(subst -,\\-,$(1))
SUBST = sed -e 's|@BINDIR@|$(1)|g' -e 's|@DATADIR@|$(2)|g' -e 's|@SYSCONFDIR@|$(3)|g' \
	-e 's|@LOCALSTATEDIR@|$(4)|g' -e 's|@VERSION@|$(VERSION)|g' -e 's|@DATE@|$(MAN_DATE)|g'

$(BUILD)/man/%.8: man/%.8.in $(wildcard man/*.inc) $(CONFIG_STAMP)
	@mkdir -p $(dir $@)
	$(Q)awk 'match($$0, /^\.\\" @include /) { f = "man/" substr($$0, RLENGTH + 1); \
		n = 0; while ((r = (getline l < f)) > 0) { print l; n++ } close(f); \
		if (r < 0 || n == 0) { print FILENAME ": cannot include " f > "/dev/stderr"; exit 1 } next } \
		{ print }' $< \
	| $(call SUBST,$(call roff,$(BINDIR)),$(call roff,$(DATADIR)),$(call roff,$(SYSCONFDIR)),$(call roff,$(LOCALSTATEDIR))) \
		> $@.tmp && mv $@.tmp $@

$(BUILD)/systemd/%: contrib/systemd/%.in $(CONFIG_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(call SUBST,$(BINDIR),$(DATADIR),$(SYSCONFDIR),$(LOCALSTATEDIR)) $< > $@.tmp && mv $@.tmp $@

$(BUILD)/systemd/%.timer: contrib/systemd/%.timer
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(BUILD)/bash-completion/reclaim-advisor: contrib/bash-completion/reclaim-advisor.in $(CONFIG_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(call SUBST,$(BINDIR),$(DATADIR),$(SYSCONFDIR),$(LOCALSTATEDIR)) $< > $@.tmp && mv $@.tmp $@

man: $(MAN_OUT)
generated: $(MAN_OUT) $(UNIT_OUT) $(COMP_OUT)

# Every list must be non-empty and every copy must succeed: an install that
# silently lacks its rules is worse than one that stops.
RULE_FILES     := $(sort $(wildcard rules/*.ini))
PROFILE_FILES  := $(sort $(wildcard rules/profiles/*.ini))
TEMPLATE_FILES := $(sort $(wildcard templates/*.tmpl))
SCHEMA_FILES   := $(sort $(wildcard schema/*.json))
need = $(if $(1),,$(error make install: no $(2) in the source tree))

install: $(BIN) generated
	$(call need,$(RULE_FILES),rules/*.ini)
	$(call need,$(PROFILE_FILES),rules/profiles/*.ini)
	$(call need,$(TEMPLATE_FILES),templates/*.tmpl)
	$(call need,$(SCHEMA_FILES),schema/*.json)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(DATADIR)/profiles \
		$(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR)/schema $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(SYSCONFDIR)/reclaim-advisor/rules.d $(DESTDIR)$(LOCALSTATEDIR)/lib/reclaim-advisor \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(SYSTEMDUNITDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/reclaim-advisor
	install -m 0644 $(RULE_FILES) $(DESTDIR)$(DATADIR)/rules/
	install -m 0644 $(PROFILE_FILES) $(DESTDIR)$(DATADIR)/profiles/
	install -m 0644 $(TEMPLATE_FILES) $(DESTDIR)$(DATADIR)/templates/
	install -m 0644 $(SCHEMA_FILES) $(DESTDIR)$(DATADIR)/schema/
	install -m 0644 contrib/rules.d/README $(DESTDIR)$(SYSCONFDIR)/reclaim-advisor/rules.d/README
	install -m 0644 $(MAN_OUT) $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 $(COMP_OUT) $(DESTDIR)$(BASHCOMPDIR)/reclaim-advisor
	install -m 0644 $(UNIT_OUT) $(DESTDIR)$(SYSTEMDUNITDIR)/

# Site files in rules.d and the state directory stay: they are not ours.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/reclaim-advisor $(DESTDIR)$(BASHCOMPDIR)/reclaim-advisor
	rm -f $(MAN_OUT:$(BUILD)/man/%=$(DESTDIR)$(MANDIR)/man8/%)
	rm -f $(UNIT_OUT:$(BUILD)/systemd/%=$(DESTDIR)$(SYSTEMDUNITDIR)/%)
	rm -f $(DESTDIR)$(SYSCONFDIR)/reclaim-advisor/rules.d/README
	rm -rf $(DESTDIR)$(DATADIR)

# Build the .deb from a clean clone of HEAD, lintian, install into a
# throwaway root and run it there; systemd-analyze verify on the units.
package-check:
	bash tests/package/package.sh

clean:
	rm -rf build

help:
	@sed -n '2,13p' Makefile | sed 's/^# \{0,1\}//'

-include $(LIB_OBJ:.o=.d) $(MAINS:%.c=$(BUILD)/obj/%.d)
