# Tidings: `make run` to set up and open the window, `make test` to set up and
# run every test. See README.md.
GO      ?= go
BIN     := build/bin/tidings
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X tidings/backend/cli.Version=$(VERSION)

.PHONY: all deps deps-test frontend build build-dev run test test-go test-frontend test-e2e test-native bench vet clean

all: build

deps:
	scripts/deps.sh build

deps-test:
	scripts/deps.sh test

frontend: deps
	cd frontend && npm run build

build: frontend
	$(GO) build -tags desktop,production -ldflags "-w -s $(LDFLAGS)" -o $(BIN) .

build-dev: frontend
	$(GO) build -tags dev -ldflags "$(LDFLAGS)" -o build/bin/tidings-dev .

run: build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "make run: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set)."; \
	  echo "  Run the window on a virtual display:  xvfb-run -a $(BIN)"; \
	  echo "  Or use the command line:               $(BIN) --help"; \
	  exit 1; \
	fi
	$(BIN)

vet:
	$(GO) vet ./...

test: deps-test vet frontend
	scripts/test.sh

test-go:
	$(GO) test ./...

bench: deps-test
	scripts/bench.sh

clean:
	rm -rf build/bin frontend/dist/assets frontend/dist/index.html
