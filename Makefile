# ngx_http_workos_jwt_module: module, CLI, tests, demo.
# `make` builds build/ngx_http_workos_jwt_module.so and build/workos-jwt
# (and installs nothing), `make deps` installs the Debian packages
# (scripts/packages.txt), `make test` runs every test, `make demo` starts a
# demo nginx on :8080; both install what they need first.
# `make test NGINX_VERSION=1.30.4` or `make test NGINX_SRC=/path/to/nginx`
# builds that nginx and the module against it under build/nginx-<version>/
# (scripts/build-nginx.sh) and runs the t/ suite with them.

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

# the nginx under test: Debian's (/usr/sbin/nginx) unless one of these is
# given; NGINX_VERSION only on the command line (the official nginx images
# set it in the environment)
ifneq ($(NGINX_SRC),)
NGINX_ARG := $(NGINX_SRC)
NGINX_DIR := $(abspath $(BUILD))/nginx-$(shell sed -n \
    's/^\#define NGINX_VERSION *"\(.*\)"/\1/p' $(NGINX_SRC)/src/core/nginx.h)
else ifeq ($(origin NGINX_VERSION),command line)
NGINX_ARG := $(NGINX_VERSION)
NGINX_DIR := $(abspath $(BUILD))/nginx-$(NGINX_VERSION)
endif
ifdef NGINX_DIR
TEST_ENV := NGINX_BIN=$(NGINX_DIR)/sbin/nginx \
            WORKOS_JWT_MODULE=$(NGINX_DIR)/ngx_http_workos_jwt_module.so
NGINX_TARGET := nginx
endif

.PHONY: all deps module cli unit test test-unit test-integration demo clean \
        bench fuzz fuzz-smoke test-asan test-leaks test-reload install \
        uninstall deb nginx

all: module cli

deps:
	@scripts/deps.sh build test

# build/nginx-<version>/: nginx and the module built from NGINX_SRC or
# NGINX_VERSION
nginx:
	@test -n "$(NGINX_ARG)" \
	    || { echo "make nginx NGINX_VERSION=1.x.y or NGINX_SRC=DIR" >&2; exit 1; }
	@scripts/deps.sh nginx-src
	scripts/build-nginx.sh $(NGINX_ARG)

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

test: deps all unit $(NGINX_TARGET)
	$(TEST_ENV) prove $(PROVE_ARGS) $(UNIT_BINS) t/*.t

test-unit: deps unit
	prove $(PROVE_ARGS) $(UNIT_BINS)

test-integration: deps all $(NGINX_TARGET)
	$(TEST_ENV) prove $(PROVE_ARGS) t/*.t

demo: deps all
	scripts/demo.sh

# issue-specific harnesses: each script documents its own knobs

bench: deps all
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
