// Command search is the Netlify function that serves /api/search and /search/
// from the index the same build produced. A function cannot read the publish
// folder at run time, so `make netlify` puts the index and the site's sources
// in bundle/, they travel inside the binary, and a cold start copies them to a
// temporary folder that bleve can open.
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/secure"
)

//go:embed all:bundle
var bundle embed.FS

// functionPath is where Netlify serves this function; redirects in
// netlify.toml send /api/search and /search/ below it.
const functionPath = "/.netlify/functions/search"

func main() {
	h, _, err := open(bundle, "bundle", os.Getenv("URL"))
	if err != nil {
		slog.Error("search function cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(adapt(h))
}

// open copies the bundle out of the binary, opens the index and loads the
// site for rendering, and returns the handler with the security headers that
// netlify.toml's [[headers]] give the static pages (they do not apply to
// functions). close removes the temporary copy.
func open(fsys fs.FS, root, baseURL string) (h http.Handler, close func(), err error) {
	if _, err := fs.Stat(fsys, path.Join(root, "index.bleve", "index_meta.json")); err != nil {
		return nil, nil, fmt.Errorf("the function was compiled without a search index in %s/index.bleve: run make netlify before building it", root)
	}
	tmp, err := os.MkdirTemp("", "kb-search-")
	if err != nil {
		return nil, nil, err
	}
	removeTmp := func() { os.RemoveAll(tmp) }
	bundle, err := fs.Sub(fsys, root)
	if err == nil {
		err = unpack(bundle, tmp)
	}
	if err != nil {
		removeTmp()
		return nil, nil, fmt.Errorf("copying the bundled index: %w", err)
	}
	idx, err := search.Open(filepath.Join(tmp, "index.bleve"))
	if err != nil {
		removeTmp()
		return nil, nil, err
	}
	src := filepath.Join(tmp, "site")
	m, err := build.LoadFrame(build.Options{Source: src, ThemeDir: filepath.Join(src, "no-theme"), BaseURL: baseURL})
	if err != nil {
		idx.Close()
		removeTmp()
		return nil, nil, fmt.Errorf("loading the bundled site: %w", err)
	}
	h, err = withAssessment(search.Handler(idx, m.Renderer), m, idx)
	if err != nil {
		idx.Close()
		removeTmp()
		return nil, nil, fmt.Errorf("listing the items for the self-assessment: %w", err)
	}
	close = func() { idx.Close(); removeTmp() }
	return secure.Middleware(stripPrefix(h)), close, nil
}

// stripPrefix lets the handler see /search/ and /api/search whether Netlify
// passes the visitor's path or the function's path with them appended.
// unpack copies the bundle to dir, where bleve can open the index, leaving
// out the items: the function renders only the search page, whose frame
// build.LoadFrame reads without them.
func unpack(bundle fs.FS, dir string) error {
	return fs.WalkDir(bundle, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if rel, ok := strings.CutPrefix(p, "site/"); ok && content.InItem(rel) {
			return nil
		}
		data, err := fs.ReadFile(bundle, p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

func stripPrefix(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := strings.TrimPrefix(r.URL.Path, functionPath); p != r.URL.Path {
			r.URL.Path = p
			if p == "" || p == "/" {
				r.URL.Path = search.PagePath
			}
		}
		next.ServeHTTP(w, r)
	})
}
