package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBenchRounds runs kbbench end to end with fakes of kb and Hugo and
// checks what each of kb's builds started from: two untimed warm-up builds
// first, each without .kb/; then in each round a new index starts without
// .kb/, the kept row finds it, and the edit row sees that round's edit;
// and that the table prints every row with Hugo's figures beside it.
func TestBenchRounds(t *testing.T) {
	kb, hugo := fakeTools(t)
	corpusDir, peer := fakeCorpus(t)
	log := filepath.Join(t.TempDir(), "builds.log")
	t.Setenv("KBBENCH_LOG", log)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-kb", kb, "-hugo", hugo, "-peer", peer, "-work", t.TempDir(), "-runs", "2", corpusDir}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	got, _ := os.ReadFile(log)
	want := `kept=false last="Body B."
kept=false last="Body B."
kept=false last="Body B."
kept=true last="Body B."
kept=true last="A benchmark edit, round 0."
kept=false last="A benchmark edit, round 0."
kept=true last="A benchmark edit, round 0."
kept=true last="A benchmark edit, round 1."
`
	if string(got) != want {
		t.Errorf("builds:\n%s\nwant:\n%s", got, want)
	}
	orig, _ := os.ReadFile(filepath.Join(corpusDir, "content", "guides", "b.md"))
	if string(orig) != "---\ntitle: B\n---\nBody B.\n" {
		t.Errorf("the shared corpus was edited: %q", orig)
	}
	out := stdout.String()
	for _, row := range []string{"new index: wall", "new index: peak memory", "nothing changed, index kept: wall", "one page edited, on disk: wall"} {
		if !strings.Contains(out, "\n"+row+" ") {
			t.Errorf("no %q row in\n%s", row, out)
		}
	}
	if !strings.Contains(out, "3 pages, median of 2 runs") || !strings.Contains(out, "Hugo: hugo fake") || !strings.Contains(out, "×") {
		t.Errorf("header, Hugo's version or the ratios missing:\n%s", out)
	}
}

// TestBenchGCScaling: with -gc and two corpora, every corpus is timed
// under each setting in turn, and each setting's new-index builds of the
// second corpus are compared with its builds of the first, kb's own policy
// under the plain name and another setting under its own.
func TestBenchGCScaling(t *testing.T) {
	kb, _ := fakeTools(t)
	small, _ := fakeCorpus(t)
	large, _ := fakeCorpus(t)
	log := filepath.Join(t.TempDir(), "builds.log")
	t.Setenv("KBBENCH_LOG", log)
	var stdout, stderr bytes.Buffer
	args := []string{"-kb", kb, "-hugo", "", "-work", t.TempDir(), "-runs", "2", "-warmup", "0", "-rows", "new",
		"-gc", "", "-gc", "GOGC=800", small, large + ":1"}
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	got, _ := os.ReadFile(log)
	want := strings.Repeat("kept=false last=\"Body B.\"\nkept=false last=\"Body B.\" GOGC=800\n", 3)
	if string(got) != want {
		t.Errorf("builds:\n%s\nwant (two rounds of the first corpus, one of the second, the settings in turn):\n%s", got, want)
	}
	out := stdout.String()
	ls, ll := filepath.Base(small), filepath.Base(large)
	for _, line := range []string{
		"\n" + ll + " against " + ls + ", new index: wall ",
		"\n" + ll + " against " + ls + ", new index under GOGC=800: wall ",
	} {
		if strings.Count(out, line) != 1 {
			t.Errorf("%q not once in\n%s", line, out)
		}
	}
	if n := strings.Count(out, "kb build under each GC setting"); n != 2 {
		t.Errorf("%d GC tables, want one for each corpus:\n%s", n, out)
	}
}

// TestBenchFailingBuild: a build that fails stops the benchmark with the
// command's own message and which build it was, rather than timing an
// error: the first warm-up build, or with none the first timed one.
func TestBenchFailingBuild(t *testing.T) {
	kb, _ := fakeTools(t)
	corpusDir, _ := fakeCorpus(t)
	t.Setenv("KBBENCH_FAIL", "1")
	for warmup, which := range map[string]string{"2": "warm-up build", "0": "new row"} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"-kb", kb, "-hugo", "", "-work", t.TempDir(), "-runs", "1", "-warmup", warmup, corpusDir}, &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "content/guides/a.md:1:1: broken on purpose") ||
			!strings.Contains(stderr.String(), "kbbench: "+filepath.Base(corpusDir)+", "+which+": ") {
			t.Errorf("-warmup %s: exit %d, stderr:\n%s", warmup, code, stderr.String())
		}
	}
}

func TestArgumentErrors(t *testing.T) {
	corpusDir, _ := fakeCorpus(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "kbbench: name at least one corpus folder (make corpora makes /tmp/kb-bench/c1k and c10k)\n"},
		{[]string{"-rows", "new,all", corpusDir}, `kbbench: -rows: unknown row "all": the rows are new, kept and edit` + "\n"},
		{[]string{corpusDir + ":0"}, "kbbench: " + corpusDir + ":0: the number of runs after ':' must be a whole number above 0\n"},
		{[]string{"-kb", "/nonexistent/kb", corpusDir}, "kbbench: -kb /nonexistent/kb: fork/exec /nonexistent/kb: no such file or directory (make builds bin/kb)\n"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), tc.args, &stdout, &stderr); code != 2 || stderr.String() != tc.want {
			t.Errorf("%q: exit %d, stderr %q, want %q", tc.args, code, stderr.String(), tc.want)
		}
	}
}

// TestMeasurePeak: the peak comes from the child's own accounting, and
// covers memory it held only briefly.
func TestMeasurePeak(t *testing.T) {
	kb, _ := fakeTools(t)
	s, err := measure(context.Background(), job{args: []string{kb, "version"}, env: []string{"KBBENCH_ALLOC=96"}})
	if err != nil {
		t.Fatal(err)
	}
	if s.peak < 96<<20 || s.peak > 400<<20 {
		t.Errorf("peak %d bytes, want a little over 96 MiB", s.peak)
	}
	if s.cpu <= 0 || s.cpu > s.wall*4 {
		t.Errorf("processor time %s for a run of %s", s.cpu, s.wall)
	}
	if s.wall < 300*time.Millisecond {
		t.Errorf("wall %s, want at least the 300 ms the child slept", s.wall)
	}
}

// TestMeasureCap: a command whose memory passes the cap is stopped and
// reported so, as Hugo is on a corpus too big for the machine.
func TestMeasureCap(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc: the cap is not enforced here")
	}
	kb, _ := fakeTools(t)
	_, err := measure(context.Background(), job{args: []string{kb, "version"}, env: []string{"KBBENCH_ALLOC=256"}, rssCap: 64e6})
	if !errors.Is(err, errOverCap) || !strings.HasSuffix(err.Error(), "kb stopped: its memory passed the cap (64 MB)") {
		t.Errorf("err = %v", err)
	}
}

func TestCleanEnv(t *testing.T) {
	got := cleanEnv([]string{"PATH=/bin", "GOGC=50", "GOMEMLIMIT=1GiB", "GOGCX=1", "HOME=/root"})
	if strings.Join(got, " ") != "PATH=/bin GOGCX=1 HOME=/root" {
		t.Errorf("cleanEnv = %q", got)
	}
}
