# hearth - the front door. `make run` and `make test` are the two commands.
BUILD     ?= build
BUILD_SAN ?= build-san
BUILD_FUZZ ?= build-fuzz
GEN       := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: all deps build run test test-pg unit api san san-pg fuzz bench bench-syscalls soak clean npm format lint

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja $(BUILD)/Makefile:
	cmake -S . -B $(BUILD) $(GEN) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD)

run: build
	$(BUILD)/hearth serve

# (again whenever package-lock.json is newer than what node_modules holds)
npm:
	@cd tests/api && (test node_modules/.package-lock.json -nt package-lock.json || npm ci --no-audit --no-fund)
	@cd tests/browser && (test node_modules/.package-lock.json -nt package-lock.json || npm ci --no-audit --no-fund --ignore-scripts)

# Unit tests (cmocka via ctest), then API tests (node --test) against a real
# server on SQLite; then the store unit tests and the API suite again on
# PostgreSQL, on a throwaway cluster (scripts/test-pg.sh).
test: build npm
	cd $(BUILD) && ctest --output-on-failure
	HEARTH_BIN=$(CURDIR)/$(BUILD)/hearth node --test tests/api/
	bash scripts/test-pg.sh $(BUILD)

# Only the PostgreSQL part of make test.
test-pg: build npm
	bash scripts/test-pg.sh $(BUILD)

unit: build
	cd $(BUILD) && ctest --output-on-failure

api: build npm
	HEARTH_BIN=$(CURDIR)/$(BUILD)/hearth node --test tests/api/

# The same suites under AddressSanitizer + UndefinedBehaviorSanitizer.
san: deps npm
	cmake -S . -B $(BUILD_SAN) $(GEN) -DCMAKE_BUILD_TYPE=Debug -DHEARTH_SANITIZE=ON
	cmake --build $(BUILD_SAN)
	cd $(BUILD_SAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 HEARTH_BIN=$(CURDIR)/$(BUILD_SAN)/hearth node --test tests/api/

# The PostgreSQL part of make test under the same sanitizers. Not part of
# make san: the API suite takes about 1.6 times as long on PostgreSQL as on
# SQLite under ASan, so it would more than double make san's time.
san-pg: deps npm
	cmake -S . -B $(BUILD_SAN) $(GEN) -DCMAKE_BUILD_TYPE=Debug -DHEARTH_SANITIZE=ON
	cmake --build $(BUILD_SAN)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 bash scripts/test-pg.sh $(BUILD_SAN)

# libFuzzer targets (every fuzz/fuzz_*.c), each run for FUZZ_SECONDS under
# ASan+UBSan. Each starts from its seeds in fuzz/corpus/<name>/ (read only)
# and keeps what it finds in $(BUILD_FUZZ)/corpus/<name>/; fuzz/<name>.dict is
# used when present. A crash, leak or UB report stops the loop and fails make;
# the input that did it is written to $(BUILD_FUZZ)/crash-*.
FUZZ_SECONDS ?= 30
fuzz: deps
	CC=clang cmake -S . -B $(BUILD_FUZZ) $(GEN) -DCMAKE_BUILD_TYPE=Debug -DHEARTH_FUZZ=ON -DHEARTH_SANITIZE=ON
	cmake --build $(BUILD_FUZZ)
	@for f in $(BUILD_FUZZ)/fuzz_*; do \
	  [ -f "$$f" ] && [ -x "$$f" ] || continue; \
	  name=$${f##*/fuzz_}; \
	  mkdir -p $(BUILD_FUZZ)/corpus/$$name; \
	  seeds=; [ -d fuzz/corpus/$$name ] && seeds=fuzz/corpus/$$name; \
	  dict=; [ -f fuzz/$$name.dict ] && dict=-dict=fuzz/$$name.dict; \
	  echo "== $$f ($(FUZZ_SECONDS) s)"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -print_final_stats=1 $$dict \
	    -artifact_prefix=$(BUILD_FUZZ)/ $(BUILD_FUZZ)/corpus/$$name $$seeds || { echo "fuzz: $$f failed"; exit 1; }; \
	done

# wrk benchmarks (ratios to nginx measured side by side in one run, then
# SQLite against PostgreSQL side by side; results in bench/README.md)
bench: build
	@bash scripts/install-deps.sh --bench
	bash bench/http.sh
	USERS=$${USERS:-100000} bash bench/backends.sh

# System calls per request by kind (strace -c -f under wrk)
bench-syscalls: build
	@bash scripts/install-deps.sh --bench
	bash bench/syscalls.sh

# Mixed reads and writes for SOAK_SECONDS (180): RSS and open file
# descriptors every 10 s, and a verdict on steady growth (bench/soak.sh).
soak: build
	bash bench/soak.sh

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_FUZZ)

# The user search benchmark at 1,000,000 users: generates the data
# once into bench/search/data/, then wrk per query kind; see bench/search/run.sh.
bench-search: build
	bash bench/search/run.sh

# Formatting: .clang-format is the house style; generated data is left alone.
FORMAT_FILES = $(shell git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'fuzz/*.c' 'bench/*.c' | grep -v '_data\.h$$')
format:
	clang-format -i $(FORMAT_FILES)

# Lint: include directions, formatting, cppcheck, and a strict ISO C17 +
# POSIX 2008 build (no GNU extensions unless a file asks for _GNU_SOURCE).
BUILD_STRICT ?= build-strict
lint: deps
	bash scripts/check-layers.sh
	@! grep -rnE 'err_set\([^,]+, [0-9]{3}' src tests/unit fuzz || { echo 'lint: an error kind (core/err.h), not an HTTP status'; exit 1; }
	@! grep -rnE "status(\[[a-z]+\])? ?[!=]= ?'[abdu]'" src || { echo 'lint: enum user_status (model/user_status.h), not a status letter'; exit 1; }
	@clang-format --dry-run --Werror $(FORMAT_FILES) && echo "clang-format: $(words $(FORMAT_FILES)) files formatted"
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability --std=c11 \
	  --suppress=missingIncludeSystem --inline-suppr -I src src
	cmake -S . -B $(BUILD_STRICT) $(GEN) -DCMAKE_BUILD_TYPE=Debug -DHEARTH_STRICT=ON
	cmake --build $(BUILD_STRICT)
