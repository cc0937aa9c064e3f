package build

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// factsSite is frontMatterSite built once on disk with its records kept.
func factsSite(t *testing.T) (Options, string) {
	t.Helper()
	_, dir := frontMatterSite(t)
	opt := Options{Source: dir, ThemeDir: incTheme(t), Out: filepath.Join(t.TempDir(), "public"), Cache: ".kb", BaseURL: previewURL}
	if _, _, err := Build(opt); err != nil {
		t.Fatal(err)
	}
	return opt, dir
}

// tamper changes a's recorded title in the build's records on disk, and
// lets change alter the records further before they are written back.
func tamper(t *testing.T, opt Options, change func(*state)) {
	t.Helper()
	st := readState(CachePath(opt), stateKey(opt))
	if st == nil {
		t.Fatal("no records after a build")
	}
	r := st.files["content/guides/a.md"]
	if r.Facts = r.decodeFacts(); r.Facts == nil {
		t.Fatal("a's facts were not recorded")
	}
	r.Facts.Title = "Tampered"
	st.files["content/guides/a.md"] = r
	if err := writeState(CachePath(opt), st, nil); err != nil {
		t.Fatal(err)
	}
	change(st)
	if err := writeHead(CachePath(opt), st); err != nil {
		t.Fatal(err)
	}
}

// A page whose bytes did not change is restored from the facts the last
// kb build recorded rather than parsed; records made by another version of
// the records, or by another kb program, are not used.
func TestBuildUsesRecordedFactsOnlyFromTheSameKB(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*state)
		title  string
	}{
		{"same records", func(*state) {}, "Tampered"},
		{"another version", func(st *state) { st.Version = stateVersion - 1 }, "Alpha"},
		{"another kb", func(st *state) { st.Key += "\x00another kb" }, "Alpha"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt, _ := factsSite(t)
			tamper(t, opt, tc.change)
			m, _, err := Build(opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Site.BySource["content/guides/a.md"].Title; got != tc.title {
				t.Errorf("a's title %q, want %q", got, tc.title)
			}
		})
	}
}

// An edit that keeps the file's size and modification time is still seen:
// its change time, which no program can set back, differs from the one
// recorded, so the file is read again and its bytes hashed; only facts
// recorded for the same bytes are used. kb build trusts the times here as it
// does files that settled long before the last build (see settle): a file
// that changed within moments of it is read again whatever its times.
func TestBuildRereadsAnEditOfTheSameSizeAndTime(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("kb reads change times on Linux only; elsewhere size and modification time are trusted alone")
	}
	_, dir := frontMatterSite(t)
	opt := Options{Source: dir, ThemeDir: incTheme(t), Out: filepath.Join(t.TempDir(), "public"), Cache: ".kb", BaseURL: previewURL, trustRecent: true}
	if _, _, err := Build(opt); err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(dir, "content/guides/a.md")
	fi, err := os.Stat(a)
	if err != nil {
		t.Fatal(err)
	}
	edit(t, dir, "content/guides/a.md", "title: Alpha", "title: Omega")
	if err := os.Chtimes(a, time.Time{}, fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if now, _ := os.Stat(a); now.Size() != fi.Size() || !now.ModTime().Equal(fi.ModTime()) {
		t.Fatalf("the edit changed the size or time: %d %v, was %d %v", now.Size(), now.ModTime(), fi.Size(), fi.ModTime())
	}
	m, st, err := Build(opt)
	if err != nil || !st.InPlace {
		t.Fatalf("in place %v, %v", st.InPlace, err)
	}
	if got := m.Site.BySource["content/guides/a.md"].Title; got != "Omega" {
		t.Errorf("a's title %q after the edit", got)
	}
	fresh := filepath.Join(t.TempDir(), "public")
	freshOpt := opt
	freshOpt.Out, freshOpt.Cache = fresh, ""
	if _, _, err := Build(freshOpt); err != nil {
		t.Fatal(err)
	}
	sameTree(t, "same size and time", opt.Out, fresh)
}

// A page with a problem is never restored from records: each build reports
// it as a build without records does, and once the file is back as it was,
// its recorded facts serve again.
func TestBuildReportsAProblemAgainWithRecords(t *testing.T) {
	opt, dir := factsSite(t)
	edit(t, dir, "content/guides/a.md", "title: Alpha", "title: Alpha\ncolour: blue")
	freshOpt := opt
	freshOpt.Out, freshOpt.Cache = filepath.Join(t.TempDir(), "public"), ""
	_, _, want := Build(freshOpt)
	if want == nil || !strings.Contains(want.Error(), "content/guides/a.md:3:1: unknown front-matter field \"colour\"") {
		t.Fatalf("a build without records: %v", want)
	}
	for i := range 2 {
		if _, _, err := Build(opt); err == nil || err.Error() != want.Error() {
			t.Errorf("build %d with records:\n%v\nwant\n%v", i+1, err, want)
		}
	}
	edit(t, dir, "content/guides/a.md", "title: Alpha\ncolour: blue", "title: Alpha")
	m, st, err := Build(opt)
	if err != nil || !st.InPlace {
		t.Fatalf("after the fix: in place %v, %v", st.InPlace, err)
	}
	if got := m.Site.BySource["content/guides/a.md"].Title; got != "Alpha" {
		t.Errorf("a's title %q after the fix", got)
	}
}

// Recorded facts were decoded with the settings of their build: after the
// topics change, a page whose topic is gone is reported, as a build without
// records reports it, rather than restored as it was.
func TestBuildRecordedFactsFollowTheSettings(t *testing.T) {
	opt, dir := factsSite(t)
	incWrite(t, dir, "topics.yaml", "- slug: cyber-security\n  name: Cyber security\n  description: Keeping systems safe.\n")
	freshOpt := opt
	freshOpt.Out, freshOpt.Cache = filepath.Join(t.TempDir(), "public"), ""
	_, _, want := Build(freshOpt)
	if want == nil || !strings.Contains(want.Error(), "content/guides/a.md:") || !strings.Contains(want.Error(), "records") {
		t.Fatalf("a build without records: %v", want)
	}
	if _, _, err := Build(opt); err == nil || err.Error() != want.Error() {
		t.Errorf("with records:\n%v\nwant\n%v", err, want)
	}
}

// With records, only the changed pages' links are checked again while
// nothing a link can point at changed; an edit that removes an anchor
// another page links to is still reported, at the unchanged page's link.
func TestBuildChecksLinksIntoAChangedPage(t *testing.T) {
	_, dir := frontMatterSite(t)
	incWrite(t, dir, "content/guides/a.md", "---\ntitle: Alpha\nsummary: About a.\nmeasures: [well-led]\ntopics: [records]\n---\n\n## Risks\n\nText of a.\n")
	incWrite(t, dir, "content/guides/g.md", "---\ntitle: G\nsummary: S.\nmeasures: [well-led]\n---\n\nSee [the risks](a.md#risks).\n")
	opt := Options{Source: dir, ThemeDir: incTheme(t), Out: filepath.Join(t.TempDir(), "public"), Cache: ".kb", BaseURL: previewURL, trustRecent: true}
	if _, _, err := Build(opt); err != nil {
		t.Fatal(err)
	}
	edit(t, dir, "content/guides/a.md", "Text of a.", "Text of a, edited.")
	if _, st, err := Build(opt); err != nil || !st.InPlace {
		t.Fatalf("a body edit: in place %v, %v", st.InPlace, err)
	}
	edit(t, dir, "content/guides/a.md", "## Risks", "## Hazards")
	_, _, err := Build(opt)
	if err == nil || !strings.Contains(err.Error(), "content/guides/g.md:7:5:") || !strings.Contains(err.Error(), "#risks") {
		t.Errorf("a link into an anchor that went: %v", err)
	}
}
