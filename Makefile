# reclaim-advisor: plain GNU make.  `make help` lists the targets.
#
#   make            build build/reclaim-advisor
#   make test       unit tests (cmocka) + end-to-end tests
#   make check      test, then the unit and end-to-end tests again under ASan+UBSan
#   make fuzz       libFuzzer harnesses (clang); make fuzz-replay replays the corpus (gcc)
#   make bench      wall time and peak memory of the main commands
#   make bench-effectiveness  the QEMU effectiveness benchmark (about an hour; docs/effectiveness.md)
#   make install    PREFIX=/usr/local DESTDIR=
#   V=1             show the commands

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/reclaim-advisor
MANDIR   ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

BUILD    ?= build
CC       ?= cc
PKGS     := inih json-c
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

.PHONY: all test unit e2e check asan valgrind fuzz fuzz-replay bench bench-effectiveness install uninstall clean help ansible

all: $(BIN)

# Objects depend on the configuration that is compiled into them (install
# paths, version, sanitizers), so `make install PREFIX=/usr` after a plain
# `make` rebuilds instead of installing a binary that looks in /usr/local.
CONFIG_STAMP := $(BUILD)/config.stamp
CONFIG_LINE  := $(PREFIX) $(DATADIR) $(SYSCONFDIR) $(VERSION) $(SAN) $(OPT) $(CC)
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
ANSIBLE_BIN := $(BUILD)/reclaim_advisor
$(ANSIBLE_BIN): $(BUILD)/obj/advisor/cli/main_ansible.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

ansible: $(ANSIBLE_BIN)
	install -d contrib/ansible/library
	install -m 0755 $(ANSIBLE_BIN) contrib/ansible/library/reclaim_advisor

$(BUILD)/tests/%: tests/%.c $(LIB) $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(CMOCKA_CFLAGS) -Iadvisor -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS) $(CMOCKA_LIBS)

# Every suite's outcome is appended to $(RESULTS); `make check` sums them up
# in one closing line ("check: N passed, M failed").
RESULTS := build/results.txt

unit: $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do \
		echo "== $$t"; \
		if $$t; then echo "pass $$t" >> $(RESULTS); else echo "fail $$t" >> $(RESULTS); fail=1; fi; \
	done; exit $$fail

e2e: $(BIN)
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
	$(MAKE) --no-print-directory asan || status=1; \
	$(MAKE) --no-print-directory fuzz-replay && echo "pass fuzz-replay" >> $(RESULTS) \
		|| { echo "fail fuzz-replay" >> $(RESULTS); status=1; }; \
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
bench-effectiveness: $(BIN)
	BIN=$(abspath $(BIN)) bash bench/effectiveness/matrix.sh
	BIN=$(abspath $(BIN)) bash bench/effectiveness/report.sh

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(DATADIR)/profiles \
		$(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR)/schema $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/reclaim-advisor
	install -m 0644 rules/*.ini $(DESTDIR)$(DATADIR)/rules/ 2>/dev/null || true
	install -m 0644 rules/profiles/*.ini $(DESTDIR)$(DATADIR)/profiles/ 2>/dev/null || true
	install -m 0644 templates/* $(DESTDIR)$(DATADIR)/templates/ 2>/dev/null || true
	install -m 0644 schema/*.json $(DESTDIR)$(DATADIR)/schema/ 2>/dev/null || true
	install -m 0644 man/reclaim-advisor.1 $(DESTDIR)$(MANDIR)/man1/reclaim-advisor.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/reclaim-advisor $(DESTDIR)$(MANDIR)/man1/reclaim-advisor.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build

help:
	@sed -n '2,10p' Makefile | sed 's/^# \{0,1\}//'

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/advisor/cli/main.d
