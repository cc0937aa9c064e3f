package publish

import (
	"os"
	"path/filepath"
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
	st, err := Stage(out)
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
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".public.*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	if _, err := os.Stat(filepath.Join(out, "old")); !os.IsNotExist(err) {
		t.Error("a folder of the previous build survived")
	}
}
