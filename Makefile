# tfreport: GNU Makefile. `make` builds ./tfreport; `make test` runs every suite.
# Honours CC, CFLAGS, LDFLAGS, PREFIX, DESTDIR. Set WERROR= to drop -Werror.

CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
PREFIX  ?= /usr/local
WERROR  ?= -Werror
PKGS     = yaml-0.1 libcjson libcmark libxml-2.0 libarchive
BUILD   ?= build
TFREPORT ?= $(CURDIR)/$(BUILD)/tfreport

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

TF_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -Isrc $(PKG_CFLAGS) -MMD -MP
LIBS      = $(PKG_LIBS) -lm -lpthread

SRCS  := $(sort $(wildcard src/*.c))
OBJS  := $(SRCS:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen_assets.o
LIBOBJS := $(filter-out $(BUILD)/obj/main.o,$(OBJS))
UNITS := $(sort $(wildcard tests/unit/test_*.c))
UNITBINS := $(UNITS:tests/unit/%.c=$(BUILD)/tests/%)
UNITDEPS := $(UNITBINS:%=%.d)

.PHONY: all deps bin tests test unit golden lifecycle browser man-examples asan valgrind bench demo \
        install uninstall clean golden-update lint

all: deps
	@$(MAKE) --no-print-directory bin

deps:
	@scripts/deps.sh

bin: tfreport

tfreport: $(BUILD)/tfreport
	ln -sf $(BUILD)/tfreport tfreport

$(BUILD)/tfreport: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TF_CFLAGS) -c -o $@ $<

# --- embedded assets (scripts/embed.c, docs/assets.md) ---------------------------------
# Project files are embedded under their repo-relative names; npm files under vendor/.
# node_modules/.package-lock.json is rewritten by every `npm ci`, so it stands for
# "node_modules matches package-lock.json" (the criterion scripts/deps.sh uses too).
NPM_STAMP   = node_modules/.package-lock.json
HLJS_LANGS  = r python bash yaml json c cpp plaintext
LICENSE_PKGS = uplot @highlightjs/cdn-assets diff2html \
  "diff:bundled in diff2html-ui-base.min.js" \
  "@profoundlogic/hogan:bundled in diff2html-ui-base.min.js"
OWN_ASSETS := $(sort $(wildcard templates/*.html templates/*/*.html assets/js/*.js assets/css/*.css))
NPM_ASSETS  = vendor/uPlot.iife.min.js=node_modules/uplot/dist/uPlot.iife.min.js \
  vendor/uPlot.min.css=node_modules/uplot/dist/uPlot.min.css \
  vendor/diff2html-ui-base.min.js=node_modules/diff2html/bundles/js/diff2html-ui-base.min.js \
  vendor/diff2html.min.css=node_modules/diff2html/bundles/css/diff2html.min.css
GEN_ASSETS  = vendor/hljs.js=$(BUILD)/gen/hljs.js LICENSES=$(BUILD)/gen/LICENSES
ASSET_ARGS  = $(OWN_ASSETS) $(NPM_ASSETS) $(GEN_ASSETS)
asset_path  = $(foreach a,$(1),$(lastword $(subst =, ,$(a))))
NPM_FILES   = $(call asset_path,$(NPM_ASSETS))

.PHONY: FORCE
FORCE:

# A clean clone without `make deps`, or a changed lockfile: install exactly the lockfile.
$(NPM_STAMP): package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: run make deps" >&2; exit 1; }
	npm ci --no-audit --no-fund
$(NPM_FILES): $(NPM_STAMP) ;

$(BUILD)/embed: scripts/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=c11 -Wall -Wextra $(WERROR) $(LDFLAGS) -o $@ $<

$(BUILD)/gen/hljs.js: scripts/hljs-global.sh scripts/hljs-check.js $(NPM_STAMP)
	@mkdir -p $(dir $@)
	scripts/hljs-global.sh node_modules/@highlightjs/cdn-assets $@ $(HLJS_LANGS)

$(BUILD)/gen/LICENSES: scripts/licenses.sh $(NPM_STAMP)
	@mkdir -p $(dir $@)
	scripts/licenses.sh node_modules $@ $(LICENSE_PKGS)

# The list of NAME=PATH, rewritten only when it changes, so that removing or renaming a
# template or asset also regenerates assets.c.
$(BUILD)/gen/assets.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(ASSET_ARGS)' | cmp -s - $@ 2>/dev/null || echo '$(ASSET_ARGS)' >$@

$(BUILD)/gen/assets.c: $(BUILD)/embed $(BUILD)/gen/assets.list $(call asset_path,$(ASSET_ARGS))
	$(BUILD)/embed -o $@ $(ASSET_ARGS)

$(BUILD)/obj/gen_assets.o: $(BUILD)/gen/assets.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TF_CFLAGS) -c -o $@ $<
# --- end embedded assets ---------------------------------------------------------------

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TF_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJS) $(LIBS) $(CMOCKA_LIBS)

tests: $(BUILD)/tfreport $(UNITBINS)

# Every suite; each prints "N passed, N failed". ASan runs too (it takes well under a minute).
test: deps
	@$(MAKE) --no-print-directory tests
	@$(MAKE) --no-print-directory unit golden lifecycle man-examples browser
	@$(MAKE) --no-print-directory asan

unit: tests
	@tests/run-unit.sh $(UNITBINS)

golden: $(BUILD)/tfreport
	@TFREPORT="$(TFREPORT)" tests/golden/run.sh

lifecycle: $(BUILD)/tfreport
	@TFREPORT="$(TFREPORT)" tests/lifecycle/run.sh

browser: $(BUILD)/tfreport
	@TFREPORT="$(TFREPORT)" tests/run-browser.sh

golden-update: $(BUILD)/tfreport
	@TFREPORT="$(TFREPORT)" tests/golden/run.sh --update

man-examples: $(BUILD)/tfreport
	@TFREPORT="$(TFREPORT)" tests/man-examples.sh docs/tfreport.1

# AddressSanitizer + UBSan over the unit and golden suites, in a separate build dir.
asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" tests
	@echo "== asan"
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  $(MAKE) --no-print-directory BUILD=build-asan unit golden lifecycle

valgrind: deps
	@$(MAKE) --no-print-directory tests
	@echo "== valgrind"
	@VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect" \
	  tests/run-unit.sh $(UNITBINS)
	@TFREPORT="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect $(TFREPORT)" \
	  tests/golden/run.sh

bench: all
	@bench/run.sh

demo: all
	@examples/demo.sh

lint:
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability -Isrc src

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/tfreport $(DESTDIR)$(PREFIX)/bin/tfreport
	install -m 644 docs/tfreport.1 $(DESTDIR)$(PREFIX)/share/man/man1/tfreport.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tfreport $(DESTDIR)$(PREFIX)/share/man/man1/tfreport.1

clean:
	rm -rf build build-asan tfreport

-include $(OBJS:.o=.d) $(UNITDEPS)
