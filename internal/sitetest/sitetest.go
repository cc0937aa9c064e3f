// Package sitetest is the harness the end-to-end tests share: it lays out a
// little site from a txtar archive, finds the repository's theme, and parses
// built pages so tests assert on HTML structure rather than on substrings.
package sitetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/tools/txtar"
)

// Write lays out the archive's files under a new temporary folder and returns
// it. File names are slash-separated paths relative to the site root.
func Write(tb testing.TB, archive []byte) string {
	tb.Helper()
	root := tb.TempDir()
	WriteTo(tb, archive, root)
	return root
}

// WriteTo lays out the archive's files under root.
func WriteTo(tb testing.TB, archive []byte, root string) {
	tb.Helper()
	for _, f := range txtar.Parse(archive).Files {
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// Load reads a txtar file and returns its comment and the site laid out from it.
func Load(tb testing.TB, file string) (comment string, root string) {
	tb.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	return string(txtar.Parse(data).Comment), Write(tb, data)
}

// RepoRoot finds the repository root (the folder holding go.mod) above the
// test's working directory.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("sitetest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// ThemeDir is the repository's default theme, with its node_modules.
func ThemeDir(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join(RepoRoot(tb), "themes", "default")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "nhsuk-frontend")); err != nil {
		tb.Fatalf("sitetest: nhsuk-frontend is not installed in %s: run make deps", dir)
	}
	return dir
}

// Page parses a built HTML file, given by its path below out.
func Page(tb testing.TB, out, rel string) *goquery.Document {
	tb.Helper()
	f, err := os.Open(filepath.Join(out, filepath.FromSlash(rel)))
	if err != nil {
		tb.Fatalf("page %s was not built: %v", rel, err)
	}
	defer f.Close()
	doc, err := goquery.NewDocumentFromReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

// Texts returns the trimmed text of each element the selector matches.
func Texts(sel *goquery.Selection) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.Join(strings.Fields(s.Text()), " "))
	})
	return out
}

// Attrs returns the attribute of each element the selector matches.
func Attrs(sel *goquery.Selection, name string) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) {
		if v, ok := s.Attr(name); ok {
			out = append(out, v)
		}
	})
	return out
}

// Snapshot records every file below dir with its contents, so a test can show
// that a failed build left the previous output exactly as it was.
func Snapshot(tb testing.TB, dir string) map[string]string {
	tb.Helper()
	snap := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		snap[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		tb.Fatal(err)
	}
	return snap
}
