package main

import (
	"flag"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/sitetest"
)

func TestInterleaveMovesFlagsFirst(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("source", ".", "")
	fs.Bool("bundle", false, "")
	for _, c := range []struct{ in, want string }{
		{"guide T --source d", "--source d -- guide T"},
		{"guide --source=d T", "--source=d -- guide T"},
		{"--bundle guide T", "--bundle -- guide T"},
		{"guide --bundle T", "--bundle -- guide T"}, // a bool flag takes no value
		{"guide --bundle=false T", "--bundle=false -- guide T"},
		{"guide -- --source d", "-- guide --source d"}, // -- ends the flags
		{"-source d guide", "-source d -- guide"},      // one dash works too
		{"guide - T", "-- guide - T"},                  // "-" alone is a word
	} {
		got := interleave(fs, strings.Fields(c.in))
		if !reflect.DeepEqual(got, strings.Fields(c.want)) {
			t.Errorf("interleave(%s) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Every command takes its flags before or after its other arguments, and
// one that takes none refuses a stray word instead of ignoring it.
func TestFlagsAnywhere(t *testing.T) {
	theme := sitetest.ThemeDir(t)
	_, root := sitetest.Load(t, "testdata/site.txtar")
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := kb(t, "build", "--drafts", "--out", out, "--source="+root, "--theme", theme, "--index", ".kb/index.bleve"); code != 0 {
		t.Fatalf("build: %d %s", code, stderr)
	}
	if code, stdout, stderr := kb(t, "search", "self-assessment", "--source", root, "--json"); code != 0 || !strings.Contains(stdout, "/standards/dspt/") {
		t.Errorf("search with flags after the query: %d %q %q", code, stdout, stderr)
	}
	if code, stdout, stderr := kb(t, "check", "--theme="+theme, "--source", root); code != 0 || !strings.HasPrefix(stdout, "kb: checked") {
		t.Errorf("check: %d %q %q", code, stdout, stderr)
	}
	if code, stdout, stderr := kb(t, "new", "case-study", "Flags after", "--source", root); code != 0 || !strings.Contains(stdout, "content/case-studies/flags-after.md") {
		t.Errorf("new with --source after the arguments: %d %q %q", code, stdout, stderr)
	}
	if code, stdout, stderr := kb(t, "new", "guide", "--bundle", "Bundled after", "--source="+root); code != 0 || !strings.Contains(stdout, "content/guides/bundled-after/index.md") {
		t.Errorf("new with --bundle between the arguments: %d %q %q", code, stdout, stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"build", "public", "--source", root}, `kb build: unexpected argument "public": this command takes only options, such as --source DIR (see kb build --help)`},
		{[]string{"check", "--source", root, "--", "--theme"}, `kb check: unexpected argument "--theme"`},
		{[]string{"serve", "--source", root, "now"}, `kb serve: unexpected argument "now"`},
		{[]string{"version", "please"}, `kb version: unexpected argument "please"`},
		{[]string{"schema", "out", "--source", root}, `kb schema: unexpected argument "out"`},
		{[]string{"mv", "content/a.md", "--dry-run"}, "kb mv: want the page's path and its new path"},
		{[]string{"new", "guide", "--", "--bundle", "--source", root}, "kb new: want a type and a title"},
	} {
		code, _, stderr := kb(t, c.args...)
		if code != 2 || !strings.HasPrefix(stderr, c.want) {
			t.Errorf("kb %s: %d %q, want 2 and %q", strings.Join(c.args, " "), code, stderr, c.want)
		}
	}
}

func TestUsageSaysHowToRunKb(t *testing.T) {
	code, stdout, _ := kb(t, "--help")
	if code != 0 || !strings.Contains(stdout, "./bin/kb after make") || !strings.Contains(stdout, "make install") {
		t.Errorf("usage: %d %q", code, stdout)
	}
}
