package serve

import (
	"golang.org/x/net/html"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A bad edit shows its problems, positioned, in every tab and the terminal;
// the last good build goes on being served; fixing it clears the overlay.
func TestBadEditShowsOverlayUntilFixed(t *testing.T) {
	cases := []struct {
		name, file, body string
		want             string // path:line:col: message
	}{
		{"broken YAML", "content/guides/a.md", "---\ntitle: [Alpha\nsummary: x\n---\n\nBody.\n",
			"content/guides/a.md:2:8: front matter is not valid YAML: this list is never closed: add ] after its last item, and separate items with commas"},
		{"unknown measure", "content/guides/a.md", "---\ntitle: Alpha guide\nsummary: About Alpha.\nmeasures: [well-lead]\n---\n\nBody.\n",
			`content/guides/a.md:4:12: unknown measure "well-lead"; valid measures are well-led, smart-foundations, safe-practice, support-people, empower-citizens, improve-care, healthy-populations (did you mean "well-led"?)`},
		{"broken link", "content/guides/a.md", page("Alpha guide", "See [the missing page](missing.md)."),
			"content/guides/a.md:9:5: link to missing page content/guides/missing.md: check the path (it is relative to this file)"},
		{"bad synonyms", "synonyms.txt", "epr, electronic patient record\nlonely\n",
			"synonyms.txt:2:1: a synonym group needs at least two terms separated by commas, such as: epr, electronic patient record"},
		{"template error", "layouts/single.html", `{{define "main"}}{{.Page.NoSuchField}}{{end}}`,
			"layouts/single.html:1:24: template error: can't evaluate field NoSuchField in type *site.Page"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := startServer(t, sampleSite())
			a, b := ts.open("/guides/a/"), ts.open("/guides/b/")
			ts.write(c.file, c.body)
			r := ts.waitBuild()
			if len(r.Problems) != 1 || r.Problems[0].Text != c.want {
				t.Fatalf("problems %#v\nwant %s", r.Problems, c.want)
			}
			p := r.Problems[0]
			if p.Text != p.File+":"+itoa(p.Line)+":"+itoa(p.Col)+": "+p.Message {
				t.Errorf("problem text %q does not match its parts %+v", p.Text, p)
			}
			for _, tb := range []*tab{a, b} {
				e := tb.next(t)
				got, _ := e.Data["problems"].([]any)
				if e.Name != "problems" || len(got) != 1 || got[0].(map[string]any)["text"] != c.want {
					t.Errorf("tab got %s %v", e.Name, e.Data)
				}
			}
			if !strings.Contains(ts.stderr.String(), c.want+"\n") {
				t.Errorf("terminal lacks the problem:\n%s", ts.stderr.String())
			}
			if code, doc, _ := ts.get("/guides/a/"); code != http.StatusOK || !strings.Contains(mainText(doc), "Alpha body text.") {
				t.Errorf("last good build not served: %d %q", code, mainText(doc))
			}
			// A tab opened now hears the problems on connecting.
			if e := ts.open("/").next(t); e.Name != "problems" {
				t.Errorf("new tab got %q, want problems", e.Name)
			}
			ts.fix(c.file, sampleSite())
			if r := ts.waitBuild(); r.Problems != nil {
				t.Fatalf("after the fix: %v", r.Problems)
			}
			for _, tb := range []*tab{a, b} {
				if e := tb.next(t); e.Name != "ok" {
					t.Errorf("after the fix a tab got %q, want ok", e.Name)
				}
			}
		})
	}
}

// A site that does not build at the start serves an error page listing the
// problems, which reloads once they are fixed.
func TestBrokenFromTheStart(t *testing.T) {
	files := sampleSite()
	files["content/guides/a.md"] = "no front matter\n"
	ts := startServer(t, files)
	code, doc, _ := ts.get("/guides/b/")
	want := "content/guides/a.md:1:1: missing front matter: start the file with a line ---, then title: and summary: lines, then another ---"
	if code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", code)
	}
	if pre := find(doc, func(n *html.Node) bool { return n.Data == "pre" }); pre == nil || text(pre) != want {
		t.Errorf("error page does not show %q", want)
	}
	tb := ts.open("/guides/b/")
	if e := tb.next(t); e.Name != "problems" {
		t.Errorf("got %q, want problems", e.Name)
	}
	ts.write("content/guides/a.md", sampleSite()["content/guides/a.md"])
	ts.waitBuild()
	if e := tb.next(t); e.Name != "reload" {
		t.Errorf("after the fix: %q, want reload", e.Name)
	}
	if code, _, _ := ts.get("/guides/b/"); code != http.StatusOK {
		t.Errorf("after the fix: status %d", code)
	}
}

// fix puts a file back as the sample site has it, or removes it.
func (ts *testServer) fix(name string, files map[string]string) {
	if body, ok := files[name]; ok {
		ts.write(name, body)
		return
	}
	if err := os.Remove(filepath.Join(ts.dir, name)); err != nil {
		ts.t.Fatal(err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
