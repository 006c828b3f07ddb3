# Turno. `make run` starts the demo office; `make test` is what CI runs.
.DEFAULT_GOAL := help
SHELL := /bin/bash

GO      ?= go
BIN     := bin
ADDR    ?= 127.0.0.1:8080
DATA    ?= data
# Fyne warns on the C locale; tests run in UTF-8.
export LANG := en_US.UTF-8
# The race detector needs cgo.
export CGO_ENABLED := 1

# Debian packages the build and the tests need (gcc for cgo and -race).
DEBS := gcc

.PHONY: help deps build run test fmt-check vet check bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

deps: ## install the Debian packages that are missing
	@missing=$$(for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps ## build the server into bin/
	$(GO) build -o $(BIN)/turno-server ./server

run: build ## run the server on the embedded demo office (ADDR, DATA, CONFIG)
	$(BIN)/turno-server -addr $(ADDR) -data $(DATA) $(if $(CONFIG),-config $(CONFIG))

fmt-check: ## fail if gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet: deps ## go vet
	$(GO) vet ./...

test: deps fmt-check vet ## gofmt check, go vet, and every test with the race detector
	$(GO) test -race -count=1 ./...

check: test ## test plus staticcheck
	$(GO) run honnef.co/go/tools/cmd/staticcheck@2025.1.1 ./...

bench: deps ## benchmarks, each beside its baseline (see docs/performance.md)
	$(GO) test -run '^$$' -bench . -benchtime 20000x -count=1 ./server/loadtest
	$(GO) test -run '^$$' -bench Restart -benchtime 5x -count=1 ./server/live

clean: ## remove build output (not the data directory)
	rm -rf $(BIN)
