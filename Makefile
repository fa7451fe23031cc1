# Consentry. `make demo` and `make test` do everything on a fresh machine; see README.md.
GO       ?= go
FUZZTIME ?= 30s
POLICIES := $(wildcard demo/policies/*.json)

.PHONY: demo test deps vet fuzz bench build generate check edge-deps worker

DEMO_ADDR ?= localhost:8080

# Builds the three demo sites' page modules and serves them behind the native edge, with stand-in
# vendors on *.localhost names; prints the URLs to open.
demo:
	$(GO) run ./demo/cmd/demo -addr $(DEMO_ADDR)

test: deps vet
	$(GO) run ./cmd/consentry check $(POLICIES)
	$(GO) test -count=1 ./...

deps:
	./scripts/install-deps.sh

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...

# Each fuzz target of the engine for FUZZTIME (their seed corpora already run in make test).
fuzz:
	@for t in $$($(GO) test -list 'Fuzz.*' ./consent | grep ^Fuzz); do \
		echo "== $$t"; $(GO) test ./consent -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) || exit 1; done

bench: deps
	$(GO) run ./internal/bench -out BENCHMARKS.md

# The page assets of each demo policy (build/NAME/) and the generic build (build/generic/).
build:
	@for p in $(POLICIES); do $(GO) run ./cmd/consentry build --policy $$p --out build/$$(basename $$p .json) || exit 1; done
	$(GO) run ./cmd/consentry build --generic --out build/generic

generate:
	$(GO) generate ./...

check:
	$(GO) run ./cmd/consentry check $(POLICIES)

# The edge's npm packages (workerd, wrangler) from edge/package-lock.json.
edge-deps:
	cd edge && npm ci --no-audit --no-fund --loglevel=error

# The Cloudflare Worker: edge/worker/app.wasm and Go's wasm_exec.js beside edge/worker/entry.mjs.
# The flags are edge/internal/workerbuild's (nethttpomithttp2 keeps it under the Free plan's size).
worker:
	GOOS=js GOARCH=wasm $(GO) build -tags nethttpomithttp2 -trimpath -ldflags='-s -w' -o edge/worker/app.wasm ./edge/cmd/worker
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" edge/worker/
