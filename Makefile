# Turno. `make run` starts the demo office; `make test` is what CI runs.
.DEFAULT_GOAL := help
SHELL := /bin/bash

GO      ?= go
BIN     := bin
ADDR    ?= 127.0.0.1:8080
DATA    ?= data
# make simulate: how many working days per scenario, and the seed.
DAYS ?= 100
SEED ?= 1
# Fyne warns on the C locale; tests run in UTF-8.
export LANG := en_US.UTF-8
# The race detector needs cgo.
export CGO_ENABLED := 1

# Debian packages the build and the tests need: gcc for cgo and -race; the
# X11/GL headers Fyne builds against; ALSA for the hall display's chime;
# chromium for the phone page's and the booking page's tests; poppler-utils
# (pdftotext, pdftoppm) to read the booking PDF's text and render it.
DEBS := gcc pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev libasound2-dev chromium poppler-utils
# The desktop apps that exist in this checkout.
APPS := $(patsubst %/main.go,%,$(wildcard kiosk/main.go counter/main.go display/main.go))

# Fuzz targets (package:function), run briefly by make test.
FUZZ := ./server/web:FuzzAPIBodies ./server/web:FuzzValidTicketID ./server/hub:FuzzDecodeSubscribe ./server/strictjson:FuzzDecode \
	./server/client:FuzzModelApply ./server/ticketpdf:FuzzInfoLine ./display/chime:FuzzParseWAV \
	./server/history:FuzzDecode ./server/web:FuzzInfoHTML
# The configuration as the console stores it, and the sheets' previews.
FUZZ += ./server/config:FuzzEncode ./server/admin:FuzzSheetHTML
# A count, not a duration: Go 1.26's fuzz coordinator can report "context
# deadline exceeded" at the end of a timed run (golang/go#75804).
FUZZTIME ?= 20000x

.PHONY: help deps build run test fuzz fmt-check vet check bench simulate screenshots package clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

deps: ## install the Debian packages that are missing
	@missing=$$(for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps ## build the server and the apps into bin/
	$(GO) build -o $(BIN)/turno-server ./server
	@for app in $(APPS); do echo "$(GO) build -o $(BIN)/turno-$$app ./$$app"; $(GO) build -o $(BIN)/turno-$$app ./$$app || exit 1; done

run: build ## the server on the demo office (ADDR, DATA, CONFIG), and the apps where there is a display
	@pids=""; trap 'kill $$pids 2>/dev/null' EXIT INT TERM; \
	$(BIN)/turno-server -addr $(ADDR) -data $(DATA) $(if $(CONFIG),-config $(CONFIG)) & pids="$$!"; \
	if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		for app in $(APPS); do TURNO_SERVER=http://$(ADDR) $(BIN)/turno-$$app & pids="$$pids $$!"; done; \
	else echo "no display: the server runs alone (the apps need X11 or Wayland)"; fi; \
	wait $${pids%% *}

fmt-check: ## fail if gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet: deps ## go vet
	$(GO) vet ./...

test: deps fmt-check vet ## gofmt check, go vet, every test with the race detector, and the fuzzers briefly
	$(GO) test -race -count=1 -timeout 30m ./...
	@$(MAKE) --no-print-directory fuzz

fuzz: ## run each fuzz target for FUZZTIME (20000 inputs) on the decoders of untrusted input
	@for t in $(FUZZ); do pkg=$${t%%:*}; name=$${t##*:}; \
		echo "$(GO) test -run '^$$' -fuzz '^$$name$$' -fuzztime $(FUZZTIME) $$pkg"; \
		$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; done

check: test ## test plus staticcheck
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# Each benchmark runs three times (BENCHCOUNT), its baseline measured in the
# same run; the big ones report their ratios to it (the -x metrics).
BENCHCOUNT ?= 3

bench: deps ## benchmarks, each beside its baseline, three runs each (about 45 minutes; see docs/performance.md)
	$(GO) test -run '^$$' -bench 'Issue$$|BaselineBatch' -benchtime 20000x -count=$(BENCHCOUNT) ./server/loadtest
	$(GO) test -run '^$$' -bench 'IssueHistory' -benchtime 20000x -count=$(BENCHCOUNT) -timeout 60m ./server/loadtest
	$(GO) test -run '^$$' -bench 'BigDay' -benchtime 1x -count=$(BENCHCOUNT) -timeout 30m ./server/loadtest
	$(GO) test -run '^$$' -bench 'CallToScreen|CallToPhone' -benchtime 100x -count=$(BENCHCOUNT) -timeout 90m ./server/loadtest
	$(GO) test -run '^$$' -bench IssueWrites -benchtime 1x -count=$(BENCHCOUNT) ./server/store
	$(GO) test -run '^$$' -bench Restart -benchtime 5x -count=1 ./server/live
	$(GO) test -run '^$$' -bench 'Forecast|IssueWith200Waiting' -benchtime 2000x -count=$(BENCHCOUNT) ./server/queue
	$(GO) test -run '^$$' -bench 'Snapshot' -benchtime 200x -count=$(BENCHCOUNT) ./server/queue
	$(GO) test -run '^$$' -bench Reconfigure -benchtime 20x -count=1 ./server/live
	$(GO) test -run '^$$' -bench ReportYear -benchtime 20x -count=1 ./server/history
	$(GO) test -run '^$$' -bench 'Scrape|Request' -benchtime 2000x -count=$(BENCHCOUNT) ./server/metrics

simulate: ## the what-if simulator: DAYS (100) working days of each scenario, SEED (1); see docs/accuracy.md
	$(GO) run ./server simulate -days $(DAYS) -scenario all -seed $(SEED) $(if $(CONFIG),-config $(CONFIG)) $(if $(PROFILE),-profile $(PROFILE))

screenshots: deps ## render the apps' screens (Fyne's software driver, no X) and the booking page (headless Chromium) to docs/screenshots
	TURNO_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run TestBookingAndCancellingInABrowser ./server/web
	@if [ -z "$(APPS)" ]; then echo "no app to render yet"; exit 0; fi; \
	TURNO_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run TestScreenshots $(addprefix ./,$(addsuffix /...,$(APPS)))

package: deps ## Linux packages of the apps (fyne package) into dist/, turno-APP-VERSION-linux-ARCH.tar.xz; see docs/deploy.md
	deploy/package-apps.sh $(APPS)

clean: ## remove build output (not the data directory)
	rm -rf $(BIN) dist
