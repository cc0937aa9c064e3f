package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/nhsx/kb/internal/render"
)

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDirReplacesTheWholeFolder(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := Dir(out, []render.Output{{Path: "a/index.html", Data: []byte("one")}, {Path: "gone.txt", Data: []byte("x")}}); err != nil {
		t.Fatal(err)
	}
	if err := Dir(out, []render.Output{{Path: "a/index.html", Data: []byte("two")}}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(out, "a/index.html")); got != "two" {
		t.Errorf("a/index.html = %q", got)
	}
	if _, err := os.Stat(filepath.Join(out, "gone.txt")); !os.IsNotExist(err) {
		t.Error("a file of the previous build survived")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".public.new-*")); len(left) != 0 {
		t.Errorf("staging folders left behind: %v", left)
	}
}

func TestFailedWriteKeepsThePreviousOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := Dir(out, []render.Output{{Path: "index.html", Data: []byte("old")}}); err != nil {
		t.Fatal(err)
	}
	bad := []render.Output{{Path: "index.html", Data: []byte("new")}, {Path: "../escape.html", Data: []byte("x")}}
	if err := Dir(out, bad); err == nil {
		t.Fatal("writing outside the output folder was accepted")
	}
	if got := read(t, filepath.Join(out, "index.html")); got != "old" {
		t.Errorf("index.html = %q after a failed build", got)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(out), "escape.html")); !os.IsNotExist(err) {
		t.Error("a file was written outside the output folder")
	}
	missing := []render.Output{{Path: "copy.csv", File: filepath.Join(t.TempDir(), "nope.csv")}}
	if err := Dir(out, missing); err == nil {
		t.Fatal("a missing source file was accepted")
	}
	if got := read(t, filepath.Join(out, "index.html")); got != "old" {
		t.Errorf("index.html = %q after a failed copy", got)
	}
}

func TestDedupeKeepsTheLastOfEachPath(t *testing.T) {
	got := Dedupe([]render.Output{{Path: "a", Data: []byte("1")}, {Path: "b"}, {Path: "a", Data: []byte("2")}})
	if len(got) != 2 || got[0].Path != "b" || got[1].Path != "a" || string(got[1].Data) != "2" {
		t.Errorf("Dedupe = %+v", got)
	}
}

// CommitAndClear puts the new folder in place before it returns, and the
// previous version is gone once the channel reports.
func TestCommitAndClearSwapsFirst(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := Dir(out, []render.Output{{Path: "old/index.html", Data: []byte("one")}}); err != nil {
		t.Fatal(err)
	}
	st, err := Stage(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Put(render.Output{Path: "index.html", Data: []byte("two")}); err != nil {
		t.Fatal(err)
	}
	cleared, err := st.CommitAndClear()
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(out, "index.html")); got != "two" {
		t.Errorf("index.html = %q before the old version was cleared", got)
	}
	if err := <-cleared; err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".public.*")); len(left) != 1 || left[0] != spareOf(out) {
		t.Errorf("left beside the output: %v, want only the spare", left)
	}
	if _, err := os.Stat(filepath.Join(out, "old")); !os.IsNotExist(err) {
		t.Error("a folder of the previous build survived")
	}
}

// snapshot maps each file under dir to its contents, each folder to "/",
// and each symbolic link to "-> target", without following it.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			to, _ := os.Readlink(p)
			got[rel] = "-> " + to
		case d.IsDir():
			got[rel] = "/"
		default:
			got[rel] = read(t, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := got[Manifest]; ok {
		got[Manifest] = manifestOf(t, got, []byte(m), dir)
	}
	return got
}

// manifestOf describes a folder's manifest, whose bytes are m, by what it
// vouches for: "sums of" the paths of files (of files, the folder's
// snapshot) it records exactly as they are, then any record that matches
// no file or is out of date.
func manifestOf(t *testing.T, files map[string]string, m []byte, dir string) string {
	t.Helper()
	recs := decodeManifest(m)
	if recs == nil {
		return "not a manifest"
	}
	byKey := map[uint64]string{}
	for rel, data := range files {
		if data != "/" && rel != Manifest {
			byKey[pathKey(filepath.ToSlash(rel))] = rel
		}
	}
	var vouched, wrong []string
	for _, r := range recs {
		rel, ok := byKey[r.path]
		if !ok {
			wrong = append(wrong, "a record of no file")
			continue
		}
		data := files[rel]
		if _, same := holdsAsRecorded(filepath.Join(dir, rel), r, sumKey(sha256.Sum256([]byte(data))), int64(len(data))); !same {
			wrong = append(wrong, "an out-of-date record of "+rel)
			continue
		}
		vouched = append(vouched, filepath.ToSlash(rel))
	}
	slices.Sort(vouched)
	return strings.Join(append([]string{"sums of " + strings.Join(vouched, " ")}, wrong...), "; ")
}

// Writing over the build before last ends exactly as a fresh folder would,
// whatever the site's shape did meanwhile, and leaves unchanged files as
// they were, whether the spare's manifest tells them or they are read back.
func TestBuildOverTheSpareEndsAsAFreshOne(t *testing.T) {
	builds := [][]render.Output{
		{{Path: "index.html", Data: []byte("home 1")}, {Path: "a/index.html", Data: []byte("a")},
			{Path: "b", Data: []byte("b is a file")}, {Path: "c/d/index.html", Data: []byte("deep")}, {Path: "same.txt", Data: []byte("same")}},
		{{Path: "index.html", Data: []byte("home 2")}, {Path: "same.txt", Data: []byte("same")}},
		{{Path: "index.html", Data: []byte("home 3")}, {Path: "a", Data: []byte("a is a file now")},
			{Path: "b/index.html", Data: []byte("b is a folder now")}, {Path: "c/index.html", Data: []byte("shallow")},
			{Path: "same.txt", Data: []byte("same")}, {Path: "grown.txt", Data: []byte("longer than before")}},
	}
	for _, manifest := range []bool{true, false} {
		root := t.TempDir()
		out := filepath.Join(root, "public")
		for i, outs := range builds {
			if i == 2 && !manifest {
				if err := os.Remove(filepath.Join(spareOf(out), Manifest)); err != nil {
					t.Fatal(err)
				}
			}
			written := dirWriting(t, out, outs)
			if i == 2 {
				// The spare held the first build.
				if slices.Contains(written, "same.txt") {
					t.Errorf("manifest %v: an unchanged file was written again", manifest)
				}
				if !slices.Contains(written, "index.html") {
					t.Errorf("manifest %v: a changed file was left as it was", manifest)
				}
			}
			fresh := filepath.Join(root, "fresh"+string(rune('1'+i)))
			if err := Dir(fresh, outs); err != nil {
				t.Fatal(err)
			}
			if got, want := snapshot(t, out), snapshot(t, fresh); !reflect.DeepEqual(got, want) {
				t.Errorf("manifest %v, build %d:\n got %v\nwant %v", manifest, i+1, got, want)
			}
		}
	}
}

// dirWriting is Dir, and returns the outputs it wrote (not those it found
// written already), by their paths.
func dirWriting(t *testing.T, out string, outs []render.Output) []string {
	t.Helper()
	st, err := Stage(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var written []string
	st.writeFile = func(name string, data []byte, perm os.FileMode) (int64, error) {
		if rel, err := filepath.Rel(st.dir, name); err == nil && rel != Manifest {
			mu.Lock()
			written = append(written, filepath.ToSlash(rel))
			mu.Unlock()
		}
		return writeFile(name, data, perm)
	}
	if err := st.PutAll(outs); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	return written
}

// A failed build over the spare leaves the output as it was, and the next
// build still ends right.
func TestFailedBuildOverTheSpare(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	for _, text := range []string{"one", "two"} {
		if err := Dir(out, []render.Output{{Path: "index.html", Data: []byte(text)}, {Path: text + ".txt", Data: []byte(text)}}); err != nil {
			t.Fatal(err)
		}
	}
	bad := []render.Output{{Path: "index.html", Data: []byte("three")}, {Path: "../escape.html", Data: []byte("x")}}
	if err := Dir(out, bad); err == nil {
		t.Fatal("writing outside the output folder was accepted")
	}
	if got := snapshot(t, out); !reflect.DeepEqual(got, map[string]string{"index.html": "two", "two.txt": "two", Marker: markerText, Manifest: "sums of index.html two.txt"}) {
		t.Errorf("after a failed build: %v", got)
	}
	if err := Dir(out, []render.Output{{Path: "index.html", Data: []byte("four")}}); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, out); !reflect.DeepEqual(got, map[string]string{"index.html": "four", Marker: markerText, Manifest: "sums of index.html"}) {
		t.Errorf("after the next build: %v", got)
	}
}

// Two outputs for one path are kb's own bug (the site model refuses every
// collision content can cause): the build fails, naming the path, and the
// previous output is left as it was, rather than whichever writer finished
// last silently winning, as an alias over /assets/kb.css once did.
func TestStagingRefusesTwoOutputsForOnePath(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := Dir(out, []render.Output{{Path: "assets/kb.css", Data: []byte("body{}")}}); err != nil {
		t.Fatal(err)
	}
	st, err := Stage(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Put(render.Output{Path: "assets/kb.css", Data: []byte("body{}")}); err != nil {
		t.Fatal(err)
	}
	err = st.Put(render.Output{Path: "assets/kb.css", Data: []byte("<meta http-equiv=refresh>")})
	want := "internal error: two outputs for assets/kb.css; please report this as a kb bug"
	if err == nil || err.Error() != want {
		t.Fatalf("second Put: %v, want %s", err, want)
	}
	if err := st.Commit(); err == nil || err.Error() != want {
		t.Fatalf("Commit: %v, want %s", err, want)
	}
	if got := read(t, filepath.Join(out, "assets/kb.css")); got != "body{}" {
		t.Errorf("assets/kb.css = %q after the failed build", got)
	}
}

// Earlier names the file Put compares an output with, for reading ahead:
// none in a fresh staging folder, none for a file the spare's manifest
// records (Put reads it only if it changed since), the spare's file when the
// spare has no manifest, and none for a path Put would refuse.
func TestEarlierNamesTheFilePutCompares(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	page := []render.Output{{Path: "guides/a/index.html", Data: []byte("a")}}
	for build := 1; build <= 4; build++ {
		if build == 4 {
			if err := os.Remove(filepath.Join(spareOf(out), Manifest)); err != nil {
				t.Fatal(err)
			}
		}
		st, err := Stage(context.Background(), out)
		if err != nil {
			t.Fatal(err)
		}
		got := st.Earlier("guides/a/index.html")
		switch {
		case build < 4 && got != "":
			t.Errorf("build %d: Earlier gave %q, want none (no spare, or its manifest vouches)", build, got)
		case build == 4:
			data, err := os.ReadFile(got)
			if err != nil || string(data) != "a" {
				t.Errorf("build %d: Earlier gave %q, holding %q (%v); want the build before last's file", build, got, data, err)
			}
			for _, bad := range []string{"../escape.html", "/etc/passwd"} {
				if e := st.Earlier(bad); e != "" {
					t.Errorf("Earlier(%q) = %q, want none: Put refuses the path", bad, e)
				}
			}
		}
		if err := st.PutAll(page); err != nil {
			t.Fatal(err)
		}
		if err := st.Commit(); err != nil {
			t.Fatal(err)
		}
	}
}

// A build over the spare reads back none of the files its manifest records,
// and still ends with every file's new bytes, whether they changed, or the
// file was changed by hand since its build; every file of a spare without a
// manifest, or with a damaged one, is read back.
func TestManifestSavesReadingBack(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	outs := func(a, b, c string) []render.Output {
		return []render.Output{{Path: "a.html", Data: []byte(a)}, {Path: "b/index.html", Data: []byte(b)}, {Path: "c.txt", Data: []byte(c)}}
	}
	spare := func(name string) string { return filepath.Join(spareOf(out), filepath.FromSlash(name)) }
	build := func(n int, os []render.Output, wantRead int64) {
		t.Helper()
		st, err := Stage(context.Background(), out)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.PutAll(os); err != nil {
			t.Fatal(err)
		}
		if got := st.ReadBack(); got != wantRead {
			t.Errorf("build %d read back %d files, want %d", n, got, wantRead)
		}
		if err := st.Commit(); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{Marker: markerText, Manifest: "sums of a.html b/index.html c.txt", "b": "/"}
		for _, o := range os {
			want[filepath.FromSlash(o.Path)] = string(o.Data)
		}
		if got := snapshot(t, out); !reflect.DeepEqual(got, want) {
			t.Errorf("build %d: got %v\nwant %v", n, got, want)
		}
	}
	build(1, outs("one", "two", "three"), 0)
	build(2, outs("one", "two", "three"), 0)
	// The spare is build 1's folder, with its manifest: c.txt changes,
	// keeping its size.
	build(3, outs("one", "two", "THREE"), 0)
	// Build 2's folder, where b/index.html is changed by hand, at its size.
	mustWrite(t, spare("b/index.html"), "TWO")
	build(4, outs("one", "two", "THREE"), 0)
	if err := os.Remove(spare(Manifest)); err != nil {
		t.Fatal(err)
	}
	build(5, outs("one", "two", "three"), 3)
	mustWrite(t, spare(Manifest), manifestHeader+"cut short")
	build(6, outs("one", "two", "three"), 3)
}

// A manifest's bytes either decode to records that encode to the same
// bytes, or are refused (nil); none makes the decoder panic.
func FuzzDecodeManifest(f *testing.F) {
	whole := manifest{{path: 3, state: stateKey(1, 5, 1700000000000000000)}, {path: 9, state: 2}}.encode()
	f.Add(whole)
	f.Add([]byte(manifestHeader))
	f.Add(whole[:len(whole)-1])
	f.Add([]byte("kb output sums 2\n"))
	f.Add(append([]byte(manifestHeader), make([]byte, recordSize)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		m := decodeManifest(b)
		if m == nil {
			return
		}
		if again := slices.Clone(m).encode(); !bytes.Equal(again, b) {
			t.Errorf("decoded %d records that encode to other bytes", len(m))
		}
		for _, r := range m {
			if got, ok := m.find(r.path); !ok || got.path != r.path {
				t.Errorf("find(%d) = %v, %v", r.path, got, ok)
			}
		}
	})
}

// A listing gives back every file and folder under the folder listed, with
// its path relative to it, each folder before what it holds, however deep
// and however the walk comes back up between folders.
func TestListingRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{
		"index.html", "a/index.html", "a/b/c/index.html", "a/b/d.css",
		"a/e/index.html", "b/index.html", "b/f/g/h/i.txt", "z.xml",
	} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	var want []string
	filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			want = append(want, rel)
		}
		return nil
	})
	var got []string
	list(dir).each(func(rel string) error { got = append(got, rel); return nil })
	if !slices.Equal(got, want) {
		t.Errorf("listing gave\n%q\nwant\n%q", got, want)
	}
	seen := map[string]bool{}
	for _, rel := range got {
		if d := filepath.Dir(rel); d != "." && !seen[d] {
			t.Errorf("%s listed before its folder", rel)
		}
		seen[rel] = true
	}
}
