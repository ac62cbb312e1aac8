# The one front door. `make run` brings the whole stack up locally; `make test` proves it.
BUILD      ?= build
ASAN_BUILD ?= build-asan
PREFIX     ?= /usr/local
DESTDIR    ?=
JOBS       ?= $(shell nproc)

.PHONY: all deps build daemons asan test run bench fuzz install clean migrate

all: build

deps:
	@scripts/deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

$(ASAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DVC_SANITIZE=ON

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# What `make run` starts, and nothing else (the tests are built by `make` and `make test`).
daemons: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target fcgi-app ws-daemon videochat-migrate

asan: $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)

test: deps
	$(MAKE) build asan
	scripts/run-tests.sh

# Ports: HTTPS_PORT, HTTP_PORT, WS_PORT, TURN_PORT, TURN_TLS_PORT (see scripts/stack.sh).
run: deps
	$(MAKE) daemons
	scripts/stack.sh run var

# Applies pending migrations to the database of CONFIG.
CONFIG ?= /etc/videochat/videochat.conf
migrate: build
	$(BUILD)/shared/videochat-migrate -c $(CONFIG) -m migrations

bench: deps
	$(MAKE) build
	BUILD_DIR=$(BUILD) scripts/bench.sh

# libFuzzer harnesses (clang, ASan+UBSan), each for FUZZ_SECONDS; `make test` runs them for 30 s.
FUZZ_SECONDS ?= 300
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

install: build
	scripts/install.sh "$(DESTDIR)" "$(PREFIX)" "$(BUILD)"

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz test-output
