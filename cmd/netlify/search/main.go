// Command search is the Netlify function that serves /api/search, /search/
// and the self-assessment's results from the index the same build produced.
// A function cannot read the publish folder at run time, so kb build
// --function (make netlify) puts in bundle/ all it needs: the index, the
// search page's frame, rendered through the theme with an empty results
// slot, and the self-assessment's statements and frames. They travel inside
// the binary; a cold start copies the index to a temporary folder that bleve
// can open. The function knows search, and nothing of the site's packages.
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

	"github.com/nhsx/kb/internal/frame"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/search/web"
	"github.com/nhsx/kb/internal/secure"
)

//go:embed all:bundle
var bundle embed.FS

// functionPath is where Netlify serves this function; redirects in
// netlify.toml send /api/search and /search/ below it.
const functionPath = "/.netlify/functions/search"

// Files of the bundle, as kb build --function writes them (build.Function*).
const (
	indexDir       = "index.bleve"
	searchFrame    = "search.html"
	assessmentFile = "assessment.json"
)

func main() {
	h, _, err := open(bundle, "bundle")
	if err != nil {
		slog.Error("search function cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(adapt(h))
}

// open copies the index out of the bundle and opens it, reads the frames,
// and returns the handler with the security headers that netlify.toml's
// [[headers]] give the static pages (they do not apply to functions). close
// removes the temporary copy.
func open(fsys fs.FS, root string) (h http.Handler, close func(), err error) {
	if _, err := fs.Stat(fsys, path.Join(root, indexDir, "index_meta.json")); err != nil {
		return nil, nil, fmt.Errorf("the function was compiled without a search index in %s/%s: run make netlify before building it", root, indexDir)
	}
	page, err := fs.ReadFile(fsys, path.Join(root, searchFrame))
	if err != nil {
		return nil, nil, fmt.Errorf("the function was compiled without the search page's frame in %s/%s: run make netlify before building it", root, searchFrame)
	}
	f, err := frame.Parse("search", page)
	if err != nil {
		return nil, nil, fmt.Errorf("%s/%s: %w", root, searchFrame, err)
	}
	tmp, err := os.MkdirTemp("", "kb-search-")
	if err != nil {
		return nil, nil, err
	}
	removeTmp := func() { os.RemoveAll(tmp) }
	index, err := fs.Sub(fsys, path.Join(root, indexDir))
	if err == nil {
		err = os.CopyFS(filepath.Join(tmp, indexDir), index)
	}
	if err != nil {
		removeTmp()
		return nil, nil, fmt.Errorf("copying the bundled index: %w", err)
	}
	idx, err := search.Open(filepath.Join(tmp, indexDir))
	if err != nil {
		removeTmp()
		return nil, nil, err
	}
	h, err = withAssessment(web.Handler(idx, f), fsys, path.Join(root, assessmentFile), idx)
	if err != nil {
		idx.Close()
		removeTmp()
		return nil, nil, err
	}
	close = func() { idx.Close(); removeTmp() }
	return secure.Middleware(stripPrefix(h)), close, nil
}

// stripPrefix lets the handler see /search/ and /api/search whether Netlify
// passes the visitor's path or the function's path with them appended.
func stripPrefix(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := strings.TrimPrefix(r.URL.Path, functionPath); p != r.URL.Path {
			r.URL.Path = p
			if p == "" || p == "/" {
				r.URL.Path = web.PagePath
			}
		}
		next.ServeHTTP(w, r)
	})
}
