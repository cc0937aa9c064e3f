# kb: the WGLL knowledge-base generator. `make build` builds the bundled
# knowledge base into public/; `make test` runs what CI runs.
GO        ?= go
THEME     := themes/default
NODE_MODS := $(THEME)/node_modules/.package-lock.json
KB        := bin/kb

.PHONY: all deps css deps-test build install check serve schema test fuzz bench bench-100k bench-100k-gc bench-gc bench-load bench-serve relevance-peer corpora netlify clean prodserve lighthouse screenshots vnu

all: build

# npm ci only when the lock file changed since the last install.
$(NODE_MODS): $(THEME)/package.json $(THEME)/package-lock.json
	cd $(THEME) && npm ci --no-audit --no-fund
	@touch $@

# The theme's stylesheet: only the NHS design system components its layouts
# use (sass/nhsuk.scss), compiled by sass from npm; never committed.
CSS := $(THEME)/dist/nhsuk.css
$(CSS): $(NODE_MODS) $(wildcard $(THEME)/sass/*.scss)
	cd $(THEME) && npx --no-install sass --no-source-map --style=compressed --load-path=node_modules sass/nhsuk.scss dist/nhsuk.css

css: $(CSS)

deps: $(NODE_MODS) $(CSS)
	$(GO) mod download

$(KB): deps $(shell find cmd internal -name '*.go') embed.go go.mod go.sum
	$(GO) build -o $(KB) ./cmd/kb

build: $(KB) schema
	./$(KB) build --source . --out public

# JSON Schemas of front matter, site.yaml and topics.yaml in .kb/schema/ (not
# committed: made from topics.yaml, so never stale), which .vscode/settings.json
# maps for the YAML extension.
schema: $(KB)
	./$(KB) schema --source .

# `make install` puts kb on your PATH, so `kb serve` works by name: go install
# writes it to $(go env GOBIN), or $(go env GOPATH)/bin when GOBIN is unset
# (usually ~/go/bin); that folder must be on your PATH.
install: deps
	$(GO) install ./cmd/kb
	@dir=$$($(GO) env GOBIN); [ -n "$$dir" ] || dir=$$($(GO) env GOPATH)/bin; \
	echo "kb: installed $$dir/kb"; \
	case ":$$PATH:" in *":$$dir:"*) ;; *) echo "kb: $$dir is not on your PATH: add it (export PATH=\"$$dir:\$$PATH\") or run ./bin/kb after make";; esac

check: $(KB)
	./$(KB) check --source .

# axe-core for the browser accessibility tests (internal/a11y), from its lock file.
A11Y_MODS := internal/a11y/testdata/node_modules/.package-lock.json
$(A11Y_MODS): internal/a11y/testdata/package.json internal/a11y/testdata/package-lock.json
	cd internal/a11y/testdata && npm ci --no-audit --no-fund
	@touch $@

deps-test: $(A11Y_MODS)

test: deps deps-test
	$(GO) vet ./...
	@# Contributors build on macOS and Windows too: the code and the tests
	@# must at least compile there (tests of Unix-only things, such as named
	@# pipes, skip elsewhere).
	GOOS=darwin GOARCH=arm64 $(GO) vet ./...
	GOOS=windows GOARCH=amd64 $(GO) vet ./...
	$(GO) test -race ./...
	node --test cmd/netlify/cache-plugin/plugin.test.js

clean:
	rm -rf public bin .kb $(THEME)/dist

# Benchmarks run on the shared synthetic corpora (1,000, 10,000 and, for
# bench-100k, 100,000 pages). `make bench` prints issue 16's rows with
# cmd/kbbench: at 10,000 pages, kb build with a new index (wall time and
# peak memory), again with nothing changed, after a one-page edit on disk,
# and the preview's live heap, each beside Hugo's figure on the same corpus
# (Hugo is timed where installed: apt-get install hugo), medians of
# BENCH_RUNS, with the load average of every row; then the Go benchmarks.
SHARED    ?= $(firstword $(wildcard ../shared /work/shared))
BENCH_DIR ?= /tmp/kb-bench
BENCH_RUNS ?= 3
CORPUS1K  := $(BENCH_DIR)/c1k
CORPUS10K := $(BENCH_DIR)/c10k
CORPUS100K := $(BENCH_DIR)/c100k
KBBENCH   := bin/kbbench
KBBENCH_RUN = ./$(KBBENCH) -kb $(KB) -theme $(THEME) -peer $(SHARED)/bench/hugo-peer.sh -work $(BENCH_DIR) -go $(GO)

$(CORPUS1K)/content:
	python3 $(SHARED)/bench/gencorpus.py --pages 1000 --out $(CORPUS1K) --force >/dev/null
$(CORPUS10K)/content:
	python3 $(SHARED)/bench/gencorpus.py --pages 10000 --out $(CORPUS10K) --force >/dev/null
$(CORPUS100K)/content:
	python3 $(SHARED)/bench/gencorpus.py --pages 100000 --out $(CORPUS100K) --force >/dev/null

corpora: $(CORPUS1K)/content $(CORPUS10K)/content

$(KBBENCH): $(wildcard cmd/kbbench/*.go)
	$(GO) build -o $@ ./cmd/kbbench

bench: $(KB) $(KBBENCH) corpora
	$(KBBENCH_RUN) -runs $(BENCH_RUNS) -preview $(CORPUS10K)
	@echo "== Go benchmarks"
	KB_CORPUS_1K=$(CORPUS1K) KB_CORPUS_10K=$(CORPUS10K) $(GO) test -run='^$$' -bench=. -skip='Handler10k|Load|PreviewHeap' -benchtime=3x ./...
	@echo "== search handler percentiles (300 queries) and cold start"
	KB_CORPUS_10K=$(CORPUS10K) $(GO) test -run='^$$' -bench='Handler10k|Open10k' -benchtime=300x ./internal/search

# The 100,000-page row (slow: not part of make bench): kb build with a new
# index at 10,000 pages (BENCH_RUNS runs) and at 100,000 (once), each beside
# Hugo, and the ratios of kb's two figures. A tool whose memory passes
# three-quarters of what the machine has free is stopped, and its row says so.
bench-100k: $(KB) $(KBBENCH) $(CORPUS10K)/content $(CORPUS100K)/content
	$(KBBENCH_RUN) -rows new $(CORPUS10K):$(BENCH_RUNS) $(CORPUS100K):1

# The 100,000-page ratios under kb's own policy and with the collector
# nearly idle, in turn (README, "100,000 pages"): how much of the wall ratio
# is the collector keeping the heap within the peak target. The idle
# setting takes about 4.5 GB at 100,000 pages.
SCALING_GC ?= -gc '' -gc 'GOGC=800 GOMEMLIMIT=12GiB'
bench-100k-gc: $(KB) $(KBBENCH) $(CORPUS10K)/content $(CORPUS100K)/content
	$(KBBENCH_RUN) -rows new -hugo '' $(SCALING_GC) $(CORPUS10K):$(BENCH_RUNS) $(CORPUS100K):1

# kb build at 10,000 pages under each garbage-collector setting (README,
# "Memory policy"): kb's own policy, then GOGC and GOMEMLIMIT as set.
GC_FLAGS ?= -gc '' -gc GOGC=100 -gc GOGC=200 -gc GOGC=400 -gc 'GOGC=off GOMEMLIMIT=2GiB' -gc 'GOGC=200 GOMEMLIMIT=1GiB'
bench-gc: $(KB) $(KBBENCH) $(CORPUS10K)/content
	$(KBBENCH_RUN) -runs $(BENCH_RUNS) -rows new,kept -hugo '' $(GC_FLAGS) $(CORPUS10K)

# Live preview of the bundled knowledge base: http://127.0.0.1:1313/ reloads
# on every save and shows mistakes over the page.
serve: $(KB) schema
	./$(KB) serve --source .

# kb serve's edit-to-reload latency (file saved -> reload message in the tab)
# at 1,000 and 10,000 pages: p50, p90 and max over 20 edits each.
bench-serve: $(NODE_MODS) corpora
	KB_CORPUS_1K=$(CORPUS1K) KB_CORPUS_10K=$(CORPUS10K) $(GO) test -run '^$$' -bench '^BenchmarkEditToReload$$' -benchtime 20x -timeout 30m ./internal/serve

# `make netlify` is what Netlify's build runs: build the site into public/
# and, with --function, the search function's bundle/: a copy of the search
# index, the search page's frame (rendered through the theme, with an empty
# results slot) and the self-assessment's statements and frames, which
# go:embed carries into the function Netlify then compiles from
# cmd/netlify/search. Nothing else goes in: the function reads neither the
# site's sources nor its theme. The index is kept in .kb/ and copied, so that
# the next build starts from it and re-indexes only the pages that changed
# (Netlify keeps .kb/ between builds with cmd/netlify/cache-plugin). The last
# step compiles the function here too, so a broken function fails the build
# rather than the deploy.
FN_BUNDLE := cmd/netlify/search/bundle

netlify: $(KB)
	rm -rf $(FN_BUNDLE)/index.bleve $(FN_BUNDLE)/site $(FN_BUNDLE)/search.html $(FN_BUNDLE)/assessment.json
	./$(KB) build --source . --out public --index .kb/index.bleve --function $(FN_BUNDLE)
	$(GO) build -o bin/search-function ./cmd/netlify/search

# Load: against the search handler over loopback, on the 1,000-page corpus,
# 100 clients of ordinary searches for 10 s, then 200 clients of a hostile
# mix (huge comma lists, 10,001 parameters, long misspelled and hyphen-joined
# queries, ordinary ones) for 10 s; p50, p99, req/s, 503s and peak RSS are
# reported, and the hostile load's peak RSS must stay within 20% of the
# ordinary load's. KB_SOAK=5m make bench-load also runs the memory soak.
bench-load: $(CORPUS1K)/content
	KB_CORPUS_1K=$(CORPUS1K) $(GO) test -run '^$$' -bench '^BenchmarkLoad$$' -benchtime 1x ./internal/search
	@if [ -n "$$KB_SOAK" ]; then KB_CORPUS_1K=$(CORPUS1K) $(GO) test -run '^TestSoak$$' -v -timeout 0 ./internal/search; fi

# Relevance beside a peer: kb's judged queries (internal/search/testdata/
# relevance.txt) scored for kb (TestRelevance) and for Pagefind over the same
# built site's item pages, with the same definitions (success@1, @3, MRR@5).
PEER := internal/search/testdata/peer
relevance-peer: $(KB)
	cd $(PEER) && npm ci --no-audit --no-fund >/dev/null
	./$(KB) build --source . --out $(BENCH_DIR)/peer-site --index "" >/dev/null
	cd $(PEER) && npx --no-install pagefind --site $(BENCH_DIR)/peer-site --glob '{blueprints,standards,templates,case-studies,guides}/*/index.html' >/dev/null
	$(GO) test -count=1 -run '^TestRelevance$$' -v ./internal/search | grep 'judged queries' | sed 's/^ *relevance_test.go:[0-9]*: /kb: /'
	cd $(PEER) && node relevance.mjs $(BENCH_DIR)/peer-site ../relevance.txt

# Pages as production serves them (gzip, search function, security headers),
# built afresh, for the measuring targets below: `make prodserve` alone serves
# http://127.0.0.1:1414/ until Ctrl-C.
PROD_ADDR ?= 127.0.0.1:1414
prodserve: deps
	$(GO) run ./cmd/prodserve -addr $(PROD_ADDR)

# with-prod runs a command while cmd/prodserve serves the site.
define with-prod
	$(GO) build -o bin/prodserve ./cmd/prodserve
	@./bin/prodserve -addr $(PROD_ADDR) & pid=$$!; \
	  for i in $$(seq 1 120); do curl -sf -o /dev/null http://$(PROD_ADDR)/ && break; sleep 1; done; \
	  $(1); rc=$$?; kill $$pid; exit $$rc
endef

# Lighthouse's mobile scores (performance, accessibility, best practices,
# SEO, and CLS) of home, a section list, a case study, a measure page, a
# search and the 404 page. Reports: /tmp/kb-lighthouse/*.json.
LH_MODS := internal/a11y/testdata/lighthouse/node_modules/.package-lock.json
$(LH_MODS): internal/a11y/testdata/lighthouse/package.json internal/a11y/testdata/lighthouse/package-lock.json
	cd internal/a11y/testdata/lighthouse && npm ci --no-audit --no-fund
	@touch $@

lighthouse: deps $(LH_MODS)
	$(call with-prod,internal/a11y/testdata/lighthouse/run.sh http://$(PROD_ADDR))

# Screenshots at 390 and 1280 px of home, a case study, a template with
# downloads, a measure page and a search, into the theme's images/ (the
# theme's documentation; README links them).
screenshots: deps
	$(call with-prod,internal/a11y/testdata/screenshots.sh http://$(PROD_ADDR) $(THEME)/images)

# The Nu Html Checker (vnu-jar from npm, needs Java) over the built site.
VNU_DIR ?= /tmp/kb-vnu
vnu: build
	@test -f $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar || npm i --prefix $(VNU_DIR) --no-audit --no-fund vnu-jar
	java -jar $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar --skip-non-html public/
