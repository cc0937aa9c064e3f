# kb: the WGLL knowledge-base generator. `make build` builds the bundled
# knowledge base into public/; `make test` runs what CI runs.
GO        ?= go
THEME     := themes/default
NODE_MODS := $(THEME)/node_modules/.package-lock.json
KB        := bin/kb

.PHONY: all deps build check serve test fuzz bench netlify clean

all: build

# npm ci only when the lock file changed since the last install.
$(NODE_MODS): $(THEME)/package.json $(THEME)/package-lock.json
	cd $(THEME) && npm ci --no-audit --no-fund
	@touch $@

deps: $(NODE_MODS)
	$(GO) mod download

$(KB): deps $(shell find cmd internal -name '*.go') embed.go go.mod go.sum
	$(GO) build -o $(KB) ./cmd/kb

build: $(KB)
	./$(KB) build --source . --out public

check: $(KB)
	./$(KB) check --source .

test: deps
	$(GO) vet ./...
	$(GO) test -race ./...

clean:
	rm -rf public bin .kb
