package site

import (
	"net/url"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
)

// FuzzResolveLinks builds a small site around a page whose body is fuzzed and
// resolves its links. Nothing may panic; every problem must point inside the
// page; every link that resolves must lead to a URL of the site, a file of it,
// or somewhere outside it.
func FuzzResolveLinks(f *testing.F) {
	for _, s := range []string{
		"[b](b.md) [anchor](b/index.md#risks) [file](b/data.csv) [self](#top)",
		"[up](../../../etc/passwd) ![img](../standards/c.md) [root](/measures/well-led/)",
		"[x](%zz) [y](<b.md>) [z](b.md#) [w](b.md#risks#again) [v](./b.md?x=1)",
		"[j](javascript:alert(1)) [m](mailto:a@b) [p](//evil.example/)",
		"<b.md> [a]: b.md\n[ref][a] [](b.md) [ ]( ) ![](//)",
		"[d](../guides) [e](../guides/) [f](/) [g](/guides)",
	} {
		f.Add(s)
	}
	conv := markdown.New()
	cfg, _ := config.Load(f.TempDir())
	f.Fuzz(func(t *testing.T, body string) {
		src := "---\ntitle: A\nsummary: S\n---\n## Top\n" + body + "\n"
		tree := &content.Tree{}
		page := func(path, text string, res ...content.Resource) {
			p := &content.Page{Path: path, Resources: res}
			var errs diag.List
			if !content.ParseSource(p, []byte(text), conv, nil, &errs) {
				t.Skip() // not a page: nothing to resolve
			}
			tree.Pages = append(tree.Pages, p)
		}
		page("content/guides/a.md", src)
		page("content/guides/b/index.md", "---\ntitle: B\nsummary: S\n---\n## Risks\n", content.Resource{Name: "data.csv"})
		page("content/standards/c.md", "---\ntitle: C\nsummary: S\n---\n")
		s, errs := New(cfg, tree, Options{})
		for _, d := range errs {
			if d.Line < 1 || d.Line > strings.Count(src, "\n")+1 {
				t.Errorf("problem outside the file: %v", d)
			}
		}
		a := s.BySource["content/guides/a.md"]
		if a == nil || len(errs) > 0 {
			return
		}
		for _, l := range a.Doc.Links() {
			checkDest(t, s, a, l)
		}
	})
}

// checkDest checks where a link resolves to when its page is rendered.
func checkDest(t *testing.T, s *Site, p *Page, l markdown.Link) {
	t.Helper()
	dest := s.LinkDest(p)(l.Dest)
	if external(strings.TrimSpace(l.Dest)) || dest == "" {
		return
	}
	path, _, _ := strings.Cut(dest, "#")
	path = strings.TrimSpace(path)
	if u, err := url.PathUnescape(path); err == nil {
		path = u
	}
	if path == "" || strings.HasPrefix(path, "/assets/") || served(s, path) || served(s, path+"/") || path == "/guides/b/data.csv" {
		return
	}
	t.Errorf("link %q resolved to %q, which is not on the site", l.Dest, dest)
}

func served(s *Site, u string) bool {
	_, ok := s.Serves(u)
	return ok
}
