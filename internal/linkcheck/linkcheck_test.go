package linkcheck

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// site writes files (path → content) into a new folder.
func site(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const sitemapHead = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`

func TestCheckFindsEveryKindOfProblem(t *testing.T) {
	dir := site(t, map[string]string{
		"index.html": `<a href="/guides/a/#risks">ok</a> <a href="guides/a/#nope">bad anchor</a>
			<a href="/missing/">missing page</a> <img src="/assets/none.png" alt="">
			<a href="https://kb.example.org/guides/a/">absolute, ours</a> <a href="https://kb.example.org/gone/">absolute, gone</a>
			<a href="https://elsewhere.example/x">external</a> <a href="mailto:a@b.c">mail</a> <a href="#top" id="top">self</a>`,
		"guides/a/index.html":    `<h2 id="risks">Risks</h2><a href="../b">sibling without slash</a><a href="data.csv">file</a><a href="../caf%C3%A9/">non-ASCII</a>`,
		"guides/a/data.csv":      "a,b",
		"guides/b/index.html":    `<link rel="stylesheet" href="/assets/kb.css"><img srcset="/x.png 1x, /y.png 2x" alt="">`,
		"guides/café/index.html": `<p>café</p>`,
		"assets/kb.css":          "",
		"x.png":                  "",
		"old/index.html":         `<meta http-equiv="refresh" content="0; url=/guides/a/"><a href="/guides/a/">moved</a>`,
		"404.html":               `<a href="/">home</a>`,
		"sitemap.xml": sitemapHead + `<url><loc>https://kb.example.org/</loc></url><url><loc>https://kb.example.org/guides/a/</loc></url>
			<url><loc>https://kb.example.org/guides/a/</loc></url><url><loc>https://kb.example.org/old/</loc></url><url><loc>https://kb.example.org/ghost/</loc></url></urlset>`,
	})
	got, err := Check(dir, "https://kb.example.org")
	if err != nil {
		t.Fatal(err)
	}
	want := []Problem{
		{"guides/b/index.html", "/y.png", "no such file in the site"},
		{"index.html", "guides/a/#nope", `guides/a/index.html has no element with id "nope"`},
		{"index.html", "/missing/", "no such file in the site"},
		{"index.html", "/assets/none.png", "no such file in the site"},
		{"index.html", "https://kb.example.org/gone/", "no such file in the site"},
		{"sitemap.xml", "https://kb.example.org/guides/a/", "lists the same page twice"},
		{"sitemap.xml", "https://kb.example.org/old/", "lists a page the site does not have"},
		{"sitemap.xml", "https://kb.example.org/ghost/", "lists a page the site does not have"},
		{"sitemap.xml", "guides/b/index.html", "does not list this published page"},
		{"sitemap.xml", "guides/café/index.html", "does not list this published page"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%v\nwant:\n%v", got, want)
	}
}

func TestCheckCleanSite(t *testing.T) {
	dir := site(t, map[string]string{
		"index.html":   `<a href="/a/">a</a>`,
		"a/index.html": `<a href="/#x">back</a><p id="y"></p>`,
		"sitemap.xml":  sitemapHead + `<url><loc>/</loc></url><url><loc>/a/</loc></url></urlset>`,
	})
	got, err := Check(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []Problem{{"a/index.html", "/#x", `index.html has no element with id "x"`}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCheckWithoutSitemap(t *testing.T) {
	got, err := Check(site(t, map[string]string{"index.html": "<p>hi</p>"}), "")
	if err != nil {
		t.Fatal(err)
	}
	if want := []Problem{{Page: "sitemap.xml", Msg: "missing"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
