# The two commands a newcomer needs: `make run` and `make test`. Both install what is missing.
SHELL := /bin/bash

BUILD_PACKAGES := libssl-dev libsrtp2-dev libopus-dev libvpx-dev libusrsctp-dev pkg-config
TEST_PACKAGES := python3 python3-venv curl openssl coturn ffmpeg chromium chromium-driver iproute2 \
	gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
VENV := .venv
INTEROP_REQUIREMENTS := Tests/interop/requirements.txt

.PHONY: run test deps test-deps build build-release swift-test interop venv check-config clean
.PHONY: fuzz fuzz-smoke

run: deps build-release
	.build/release/sfu-server

test: deps test-deps build swift-test interop fuzz-smoke

deps:
	@scripts/install-packages.sh $(BUILD_PACKAGES)

test-deps: deps
	@scripts/install-packages.sh $(TEST_PACKAGES)

build:
	swift build --build-tests

build-release:
	swift build -c release --product sfu-server

swift-test: build
	# All tests are XCTest; without this flag Swift Testing adds a "0 tests" summary line.
	swift test --skip-build --disable-swift-testing

venv: $(VENV)/.installed

$(VENV)/.installed: $(INTEROP_REQUIREMENTS)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r $(INTEROP_REQUIREMENTS)
	touch $@

interop: venv build
	SFU_SERVER_BIN=$(CURDIR)/.build/debug/sfu-server $(VENV)/bin/python -m pytest -q Tests/interop

check-config: build
	.build/debug/sfu-server check-config

clean:
	rm -rf .build Fuzz/.build $(VENV)

# libFuzzer targets for the network parsers (Fuzz/README.md). The sanitizer flags go to every
# Swift module so that STUN and SFU are instrumented, not only the entry points. `make fuzz`
# builds release (3-20x more inputs per second); the smoke run that `make test` does builds
# debug, as every test build does, which also checks `assert`s.
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_CONFIGURATION ?= release
FUZZ_SWIFTFLAGS := -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library

fuzz: deps
	swift build --package-path Fuzz --scratch-path Fuzz/.build -c $(FUZZ_CONFIGURATION) $(FUZZ_SWIFTFLAGS)
	FUZZ_CONFIGURATION=$(FUZZ_CONFIGURATION) Fuzz/run.sh long $(FUZZ_SECONDS)

fuzz-smoke: deps
	swift build --package-path Fuzz --scratch-path Fuzz/.build -c debug $(FUZZ_SWIFTFLAGS)
	FUZZ_CONFIGURATION=debug Fuzz/run.sh smoke $(FUZZ_SMOKE_SECONDS)
