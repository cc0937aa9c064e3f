package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/publish"
	"github.com/nhsx/kb/internal/sitetest"
)

// kb runs the command in-process and returns its exit code and output.
func kb(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

var diagLine = regexp.MustCompile(`^[^:\s][^:]*:\d+:\d+: `)

// TestBuildErrors builds each broken site in testdata/errors. The archive's
// comment lists the exact error lines expected ("error ..."); the build must
// exit 1, print exactly those positioned errors (all at once), and leave the
// previous output untouched.
func TestBuildErrors(t *testing.T) {
	theme := sitetest.ThemeDir(t)
	files, _ := filepath.Glob("testdata/errors/*.txtar")
	if len(files) == 0 {
		t.Fatal("no test cases in testdata/errors")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			comment, root := sitetest.Load(t, file)
			want := directives(comment, "error")
			if len(want) == 0 {
				t.Fatal("the archive's comment names no expected error")
			}
			out := filepath.Join(t.TempDir(), "public")
			if err := os.MkdirAll(filepath.Join(out, "old"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, "old", "index.html"), []byte("previous build"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, publish.Marker), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			before := sitetest.Snapshot(t, out)
			args := []string{"build", "--source", root, "--theme", theme, "--out", out}
			args = append(args, directives(comment, "args")...)
			code, _, stderr := kb(t, args...)
			if code != 1 {
				t.Fatalf("exit code %d, want 1; stderr:\n%s", code, stderr)
			}
			var got []string
			for _, l := range strings.Split(stderr, "\n") {
				if diagLine.MatchString(l) || strings.HasPrefix(l, "kb: ") && !strings.Contains(l, "problem") {
					got = append(got, l)
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if after := sitetest.Snapshot(t, out); !reflect.DeepEqual(before, after) {
				t.Errorf("the failed build changed the previous output")
			}
			// kb check must find exactly what kb build does: a contributor
			// runs it before opening a pull request.
			check := []string{"check", "--source", root, "--theme", theme}
			check = append(check, directives(comment, "args")...)
			code, _, stderr = kb(t, check...)
			if got := diagLines(stderr); code != 1 || !reflect.DeepEqual(got, diagLines(strings.Join(want, "\n"))) {
				t.Errorf("kb check: exit code %d, errors:\n%s\nwant the same as kb build's", code, strings.Join(got, "\n"))
			}
		})
	}
}

// diagLines keeps the positioned error lines of output.
func diagLines(output string) []string {
	var got []string
	for _, l := range strings.Split(output, "\n") {
		if diagLine.MatchString(l) {
			got = append(got, l)
		}
	}
	return got
}

// TestBuildAccepts builds each site in testdata/ok, which must work, and checks
// the pages its comment names ("page PATH H1") were built with that heading.
func TestBuildAccepts(t *testing.T) {
	theme := sitetest.ThemeDir(t)
	files, _ := filepath.Glob("testdata/ok/*.txtar")
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			comment, root := sitetest.Load(t, file)
			out := filepath.Join(t.TempDir(), "public")
			code, _, stderr := kb(t, "build", "--source", root, "--theme", theme, "--out", out)
			if code != 0 {
				t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
			}
			pages := directives(comment, "page")
			if len(pages) == 0 {
				t.Fatal("the archive's comment names no page to check")
			}
			for _, p := range pages {
				path, h1, _ := strings.Cut(p, " ")
				doc := sitetest.Page(t, out, path)
				if got := sitetest.Texts(doc.Find("h1")); len(got) != 1 || got[0] != h1 {
					t.Errorf("%s: h1 = %q, want one h1 %q", path, got, h1)
				}
			}
		})
	}
}

// directives returns the rest of each comment line that starts with name.
func directives(comment, name string) []string {
	var out []string
	for _, l := range strings.Split(comment, "\n") {
		if rest, ok := strings.CutPrefix(l, name+" "); ok {
			if name == "args" {
				out = append(out, strings.Fields(rest)...)
				continue
			}
			out = append(out, rest)
		}
	}
	return out
}
