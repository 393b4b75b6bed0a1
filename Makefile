# ngx_http_workos_jwt_module: module, CLI, tests, demo.
# `make` builds build/ngx_http_workos_jwt_module.so and build/workos-jwt,
# `make test` runs every test, `make demo` starts a demo nginx on :8080.

CC       ?= cc
BUILD    := build
CFLAGS   ?= -g -O2
WFLAGS   := -Wall -Wextra -Werror
CPPFLAGS += -D_GNU_SOURCE -Isrc/core
LDLIBS   := -ljansson -lcrypto
CLI_LIBS := -lcurl

CORE_SRCS := $(wildcard src/core/wjwt_*.c)
CORE_HDRS := $(wildcard src/core/*.h)
CORE_OBJS := $(CORE_SRCS:src/core/%.c=$(BUILD)/core/%.o)
GLUE_SRCS := ngx_http_workos_jwt_module.c $(wildcard src/nginx/*.c src/nginx/*.h)
PAGE_SRCS := $(wildcard src/inspect/*)
CLI_SRCS  := $(wildcard cli/*.c)
CLI_HDRS  := $(wildcard cli/*.h)
UNIT_SRCS := $(wildcard t/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:t/unit/%.c=$(BUILD)/unit/%)

MODULE    := $(BUILD)/ngx_http_workos_jwt_module.so
CLI       := $(BUILD)/workos-jwt
LIBCORE   := $(BUILD)/libwjwt.a

PROVE_ARGS ?=

.PHONY: all deps module cli unit test test-unit test-integration demo clean \
        bench fuzz fuzz-smoke test-asan test-leaks test-reload install \
        uninstall deb

all: deps module cli

deps:
	@scripts/deps.sh

module: $(MODULE)

$(MODULE): config $(CORE_SRCS) $(CORE_HDRS) $(GLUE_SRCS) $(PAGE_SRCS) \
           scripts/build-module.sh
	@mkdir -p $(BUILD)
	scripts/build-module.sh

$(BUILD)/core/%.o: src/core/%.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WFLAGS) -fPIC -c -o $@ $<

$(LIBCORE): $(CORE_OBJS)
	rm -f $@
	ar rcs $@ $^

cli: $(CLI)

$(CLI): $(CLI_SRCS) $(CLI_HDRS) $(LIBCORE)
	$(CC) $(CPPFLAGS) -Icli $(CFLAGS) $(WFLAGS) -o $@ $(CLI_SRCS) $(LIBCORE) $(LDLIBS) $(CLI_LIBS)

unit: $(UNIT_BINS)

$(BUILD)/unit/%: t/unit/%.c $(wildcard t/unit/*.h) $(LIBCORE)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -It/unit $(CFLAGS) $(WFLAGS) -o $@ $< $(LIBCORE) $(LDLIBS)

test: all unit
	prove $(PROVE_ARGS) $(UNIT_BINS) t/*.t

test-unit: deps unit
	prove $(PROVE_ARGS) $(UNIT_BINS)

test-integration: all
	prove $(PROVE_ARGS) t/*.t

demo: all
	scripts/demo.sh

# issue-specific harnesses: each script documents its own knobs

bench: all
	scripts/bench.sh

fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-smoke:
	scripts/fuzz.sh 30

test-asan:
	scripts/test-asan.sh

test-leaks: all unit
	scripts/test-leaks.sh

test-reload: all
	scripts/test-reload.sh

install: all
	scripts/install.sh install

uninstall:
	scripts/install.sh uninstall

deb: all
	scripts/deb.sh

clean:
	rm -rf $(BUILD)
