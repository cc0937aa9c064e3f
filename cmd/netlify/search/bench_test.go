package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nhsx/kb/internal/build"
)

// BenchmarkColdStart10k is the function's start on the 10,000-page corpus
// (KB_CORPUS_10K, made by make corpora): copying the index out of the
// bundle, opening it, reading the frames, and listing the items the
// self-assessment recommends. The bundle is made once, as make netlify makes it.
func BenchmarkColdStart10k(b *testing.B) {
	src := os.Getenv("KB_CORPUS_10K")
	if src == "" {
		b.Skip("KB_CORPUS_10K is not set: run make corpora and set it to the 10,000-page corpus")
	}
	root := b.TempDir()
	m, _, err := build.Build(build.Options{Source: src, Out: filepath.Join(root, "public"),
		ThemeDir: "../../../themes/default", IndexDir: filepath.Join(root, "index.bleve")})
	if err != nil {
		b.Fatal(err)
	}
	if err := build.WriteFunction(m, filepath.Join(root, "bundle")); err != nil {
		b.Fatal(err)
	}
	m = nil
	fsys := os.DirFS(root)
	for b.Loop() {
		_, done, err := open(fsys, "bundle")
		if err != nil {
			b.Fatal(err)
		}
		done()
	}
}
