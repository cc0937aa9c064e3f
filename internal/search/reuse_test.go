package search_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/search"
)

// rebuild runs kb build again on s's sources into the same index folder and
// reports how many pages the index took in anew.
func (s *site) rebuild(t *testing.T) int {
	t.Helper()
	theme, err := filepath.Abs("../../themes/default")
	if err != nil {
		t.Fatal(err)
	}
	_, stats, err := build.Build(build.Options{Source: s.Root, Out: filepath.Join(t.TempDir(), "public"), ThemeDir: theme, IndexDir: s.Index})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	segments, _ := filepath.Glob(filepath.Join(s.Index, "store", "*.zap"))
	if len(segments) != 1 {
		t.Errorf("after indexing %d pages the index has %d segment files, want the one it uses: %v", stats.Indexed, len(segments), segments)
	}
	return stats.Indexed
}

// find answers q from the index on disk, as the URLs of every match.
func (s *site) find(t *testing.T, q string) []string {
	t.Helper()
	idx, err := search.Open(s.Index)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	return urls(*run(t, idx, q))
}

func (s *site) write(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(s.Root, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRebuildIndexesOnlyWhatChanged: a second build starts from the first
// one's index and indexes only new, changed and deleted pages, and then
// answers exactly as an index built from nothing does.
func TestRebuildIndexesOnlyWhatChanged(t *testing.T) {
	s := buildSite(t, "testdata/mini.txtar")
	all := len(s.find(t, "size=50"))
	if n := s.rebuild(t); n != 0 {
		t.Errorf("a build with nothing changed indexed %d pages, want 0", n)
	}

	page := "content/blueprints/patient-portal.md"
	old, err := os.ReadFile(filepath.Join(s.Root, page))
	if err != nil {
		t.Fatal(err)
	}
	s.write(t, page, strings.Replace(string(old), "title: ", "title: Quokka ", 1))
	if err := os.Remove(filepath.Join(s.Root, "content/standards/cyber-essentials.md")); err != nil {
		t.Fatal(err)
	}
	s.write(t, "content/standards/wombat.md", "---\ntitle: Wombat data standard\nsummary: Burrows.\nmeasures: [well-led]\n"+
		"date: 2025-01-01\nreviewed: 2025-01-01\nreview_due: 2027-01-01\n---\nWombats.\n")
	if n := s.rebuild(t); n != 3 {
		t.Errorf("after one edit, one deletion and one new page the build indexed %d pages, want 3", n)
	}
	if got := s.find(t, "q=quokka"); !slices.Equal(got, []string{"/blueprints/patient-portal/"}) {
		t.Errorf("the edited title finds %v", got)
	}
	if got := s.find(t, "q=wombat"); !slices.Equal(got, []string{"/standards/wombat/"}) {
		t.Errorf("the new page finds %v", got)
	}
	if got := s.find(t, "q=phishing"); len(got) != 0 {
		t.Errorf("the deleted page is still found: %v", got)
	}
	if got := len(s.find(t, "size=50")); got != all {
		t.Errorf("the index lists %d pages, want %d", got, all)
	}

	fresh := buildAt(t, s.Root)
	for _, q := range []string{"q=epr", "q=portal&sort=newest", "measure=improve-care", "q=records", "size=50",
		`q="remote monitoring"`, `q="connect the portal"`, `q="portal connect"`} {
		if a, b := s.find(t, q), fresh.find(t, q); !slices.Equal(a, b) {
			t.Errorf("%s: the reused index answers %v, a new one %v", q, a, b)
		}
	}
}

// TestRebuildStartsAfreshWhenItMust: new synonyms change every page's
// concepts, and a damaged index cannot be trusted; both mean indexing all.
func TestRebuildStartsAfreshWhenItMust(t *testing.T) {
	s := buildSite(t, "testdata/mini.txtar")
	all := len(s.find(t, "size=50"))
	s.write(t, "synonyms.txt", "epr, electronic patient record\nphishing, spoofing\n")
	if n := s.rebuild(t); n != all {
		t.Errorf("after a synonyms change the build indexed %d pages, want all %d", n, all)
	}
	if got := s.find(t, "q=spoofing"); !slices.Equal(got, []string{"/standards/cyber-essentials/"}) {
		t.Errorf("the new synonym finds %v", got)
	}
	if err := os.WriteFile(filepath.Join(s.Index, "store", "root.bolt"), []byte("not an index"), 0o644); err != nil {
		t.Fatal(err)
	}
	if n := s.rebuild(t); n != all {
		t.Errorf("over a damaged index the build indexed %d pages, want all %d", n, all)
	}
	if got := len(s.find(t, "size=50")); got != all {
		t.Errorf("the index lists %d pages, want %d", got, all)
	}
}

// TestTextFileMissingOrDamaged: the pages' text, kept beside bleve's files,
// is part of the index: without it Open says to build again, and a build
// over it indexes every page rather than keep pages without their text.
func TestTextFileMissingOrDamaged(t *testing.T) {
	s := buildSite(t, "testdata/mini.txtar")
	all := len(s.find(t, "size=50"))
	text := filepath.Join(s.Index, "kb-text.bin")
	for _, damage := range []func() error{
		func() error { return os.Remove(text) },
		func() error { return os.WriteFile(text, []byte("kb-text 4\n\xff"), 0o644) },
	} {
		if err := damage(); err != nil {
			t.Fatal(err)
		}
		_, err := search.Open(s.Index)
		if err == nil || !strings.HasPrefix(err.Error(), "search index "+s.Index+" is not one kb can read (") ||
			!strings.HasSuffix(err.Error(), "): delete it and run kb build again") {
			t.Errorf("open: %v", err)
		}
		if n := s.rebuild(t); n != all {
			t.Errorf("over a damaged text file the build indexed %d pages, want all %d", n, all)
		}
		if got := s.find(t, `q="upgraded networks"`); !slices.Equal(got, []string{"/case-studies/joined-up-records/"}) {
			t.Errorf("after the rebuild a phrase finds %v", got)
		}
	}
}
