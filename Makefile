# invitekit developer tasks. `make ci` is what CI runs.
GO        ?= go
# FUZZTIME is go test's -fuzztime: a count of inputs (50000x) or a duration.
# A count is the default because Go 1.26's fuzzing coordinator can report
# "context deadline exceeded" as a failure when a duration runs out
# (golang/go#75804, fixed in Go 1.27); a count never hits that deadline.
FUZZTIME  ?= 50000x
BENCHTIME ?= 1s
BENCHCOUNT ?= 5

.PHONY: all generate check-generated lint test test-race bench fuzz demo ci

all: ci

## generate: regenerate gen/ from specs/
generate:
	$(GO) generate ./...

## check-generated: regenerate and fail if anything changed (new files count too)
check-generated:
	@before="$$(git status --porcelain; git diff)"; \
	$(GO) generate ./... || exit 1; \
	after="$$(git status --porcelain; git diff)"; \
	if [ "$$before" != "$$after" ]; then \
		echo "generated code is stale: run 'make generate' and commit the result"; \
		git status --porcelain; exit 1; \
	fi

## lint: gofmt (hand-written files), go vet, staticcheck (pinned), go.mod
## tidiness, the specs' house rules (internal/speclint)
SPECS := specs/ivvy.yaml specs/invitario.yaml specs/alida.yaml
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint:
	@out="$$(git ls-files '*.go' | grep -v '\.gen\.go$$' | xargs gofmt -l)"; \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) mod tidy -diff
	$(GO) run ./internal/speclint/cmd/speclint $(SPECS)

## test: the whole suite with the race detector, then the clients' tests
## again in a zone far from UTC (+12:45/+13:45), where a date formatted in
## local time instead of UTC fails
TESTZONE ?= Pacific/Chatham
test:
	$(GO) test -race -count=1 ./...
	TZ=$(TESTZONE) $(GO) test -count=1 ./gen/... ./internal/signing/... ./fake/...

## bench: benchmarks with ratios against their baselines (BENCHMARKS.md):
## BENCHCOUNT passes over the quick ones and two over the large ones, each
## pass running a benchmark and its baselines side by side, then the table
bench:
	@tmp="$$(mktemp -d)" && trap 'rm -rf "$$tmp"' EXIT && \
	$(GO) test -c -o "$$tmp/bench.test" ./benchmarks/ && \
	{ for i in $$(seq $(BENCHCOUNT)); do \
		"$$tmp/bench.test" -test.run '^$$' -test.bench 'SignIvvy|InviteContacts' -test.benchmem -test.benchtime $(BENCHTIME) || exit 1; \
	  done; \
	  for i in 1 2; do \
		"$$tmp/bench.test" -test.run '^$$' -test.bench 'InviteMany|GuestList' -test.benchmem -test.benchtime $(BENCHTIME) || exit 1; \
	  done; } 2>&1 | $(GO) run ./internal/benchtable

## fuzz: run every fuzz target for FUZZTIME (inputs or a duration) each
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "== $$pkg $$f"; \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

## demo: the whole invitation flow against the built-in fakes
demo:
	$(GO) run ./cmd/invitekit demo

## ci: everything CI checks
ci: check-generated lint test
