package publish

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

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
	return got
}

// Writing over the build before last ends exactly as a fresh folder would,
// whatever the site's shape did meanwhile, and leaves unchanged files as
// they were.
func TestBuildOverTheSpareEndsAsAFreshOne(t *testing.T) {
	builds := [][]render.Output{
		{{Path: "index.html", Data: []byte("home 1")}, {Path: "a/index.html", Data: []byte("a")},
			{Path: "b", Data: []byte("b is a file")}, {Path: "c/d/index.html", Data: []byte("deep")}, {Path: "same.txt", Data: []byte("same")}},
		{{Path: "index.html", Data: []byte("home 2")}, {Path: "same.txt", Data: []byte("same")}},
		{{Path: "index.html", Data: []byte("home 3")}, {Path: "a", Data: []byte("a is a file now")},
			{Path: "b/index.html", Data: []byte("b is a folder now")}, {Path: "c/index.html", Data: []byte("shallow")},
			{Path: "same.txt", Data: []byte("same")}, {Path: "grown.txt", Data: []byte("longer than before")}},
	}
	root := t.TempDir()
	out := filepath.Join(root, "public")
	for i, outs := range builds {
		if i == 2 {
			// The spare now holds the first build: date its files back, to
			// tell the ones written again from the ones left alone.
			long := time.Now().Add(-time.Hour)
			for _, name := range []string{"same.txt", "index.html"} {
				if err := os.Chtimes(filepath.Join(spareOf(out), name), long, long); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := Dir(out, outs); err != nil {
			t.Fatalf("build %d: %v", i+1, err)
		}
		fresh := filepath.Join(root, "fresh"+string(rune('1'+i)))
		if err := Dir(fresh, outs); err != nil {
			t.Fatal(err)
		}
		if got, want := snapshot(t, out), snapshot(t, fresh); !reflect.DeepEqual(got, want) {
			t.Errorf("build %d:\n got %v\nwant %v", i+1, got, want)
		}
	}
	old := func(name string) bool {
		fi, err := os.Stat(filepath.Join(out, name))
		return err == nil && time.Since(fi.ModTime()) > 30*time.Minute
	}
	if !old("same.txt") {
		t.Error("an unchanged file was written again")
	}
	if old("index.html") {
		t.Error("a changed file was left as it was")
	}
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
	if got := snapshot(t, out); !reflect.DeepEqual(got, map[string]string{"index.html": "two", "two.txt": "two", Marker: markerText}) {
		t.Errorf("after a failed build: %v", got)
	}
	if err := Dir(out, []render.Output{{Path: "index.html", Data: []byte("four")}}); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, out); !reflect.DeepEqual(got, map[string]string{"index.html": "four", Marker: markerText}) {
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
// none in a fresh staging folder, the spare's file once there is a spare,
// and none for a path Put would refuse.
func TestEarlierNamesTheFilePutCompares(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	page := []render.Output{{Path: "guides/a/index.html", Data: []byte("a")}}
	for build := 1; build <= 3; build++ {
		st, err := Stage(context.Background(), out)
		if err != nil {
			t.Fatal(err)
		}
		got := st.Earlier("guides/a/index.html")
		switch {
		case build < 3 && got != "":
			t.Errorf("build %d, no spare yet: Earlier gave %q, want none", build, got)
		case build == 3:
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
