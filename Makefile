# Consentry. `make demo` and `make test` do everything on a fresh machine; see README.md.
GO       ?= go
FUZZTIME ?= 30s
POLICIES := $(wildcard demo/policies/*.json)

.PHONY: demo test deps vet unit fuzz bench build generate check

demo:
	$(GO) run ./demo/declarations -addr 127.0.0.1:8080 $(POLICIES)

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

generate:
	$(GO) generate ./...

check:
	$(GO) run ./cmd/consentry check $(POLICIES)
