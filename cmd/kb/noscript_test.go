package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/nhsx/kb/internal/sitetest"
)

// Values of testdata/ok/script-injection.txtar that must come out as text.
const (
	hostileTitle   = `</title><script>alert("title")</script>`
	hostileSummary = `<b onmouseover=alert("summary")>bold</b> "quoted" & ]]> --></script>`
	hostileSite    = `KB</title><script>alert("site")</script>`
)

// TestNoScriptFromContent builds a site whose content and settings try every
// way in we know of, then parses every output as a browser or feed reader
// would: no page may run anything but the theme's own script files, and every
// hostile value must come out as the literal text it was.
func TestNoScriptFromContent(t *testing.T) {
	_, root := sitetest.Load(t, "testdata/ok/script-injection.txtar")
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out, "--base-url", "https://kb.example.org"); code != 0 {
		t.Fatalf("build failed: %s", stderr)
	}
	pages := 0
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		pages++
		rel, _ := filepath.Rel(out, p)
		for _, v := range scriptIn(sitetest.Page(t, out, filepath.ToSlash(rel))) {
			t.Errorf("%s: %s", filepath.ToSlash(rel), v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 10 {
		t.Fatalf("only %d pages built", pages)
	}
	checkHostilePage(t, sitetest.Page(t, out, "guides/hostile/index.html"))
	checkFeeds(t, out)
}

// scriptIn lists what on a page could run script or was not meant to be markup.
func scriptIn(doc *goquery.Document) []string {
	var bad []string
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		src, _ := s.Attr("src")
		if !strings.HasPrefix(src, "/assets/") && !strings.HasPrefix(src, "/_kb/") {
			bad = append(bad, "script not from the theme: "+s.Text()+src)
		}
	})
	doc.Find("iframe, frame, object, embed, style, base, form:not([action='/search/'])").Each(func(_ int, s *goquery.Selection) {
		bad = append(bad, "<"+goquery.NodeName(s)+"> element from content")
	})
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			name, val := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
			switch {
			case strings.HasPrefix(name, "on"), name == "style", name == "srcdoc":
				bad = append(bad, name+"= on <"+goquery.NodeName(s)+">")
			case strings.HasPrefix(val, "javascript:"), strings.HasPrefix(val, "vbscript:"):
				bad = append(bad, name+"="+a.Val)
			case strings.HasPrefix(val, "data:") && !(name == "src" && strings.HasPrefix(val, "data:image/")):
				bad = append(bad, name+"="+a.Val)
			}
		}
	})
	return bad
}

// checkHostilePage checks the hostile values arrived as text, in one piece:
// had any closed an element early, the title, heading or description would
// differ.
func checkHostilePage(t *testing.T, doc *goquery.Document) {
	t.Helper()
	want := map[string]string{
		"head > title":          hostileTitle + " – " + hostileSite,
		"h1":                    hostileTitle,
		"main .nhsuk-lede-text": hostileSummary,
	}
	for sel, text := range want {
		if got := doc.Find(sel); got.Length() != 1 || got.Text() != text {
			t.Errorf("%s: %d elements, text %q; want one with %q", sel, got.Length(), got.Text(), text)
		}
	}
	if got, _ := doc.Find("meta[name=description]").Attr("content"); got != hostileSummary {
		t.Errorf("meta description = %q", got)
	}
	if n := doc.Find("main").Length(); n != 1 {
		t.Errorf("%d main elements: the markup was broken", n)
	}
	if n := doc.Find("h2#heading.fine").Length(); n != 1 {
		t.Error("the heading lost its id and class along with its unsafe attributes")
	}
}

// checkFeeds parses the feed and the sitemap strictly and checks the hostile
// values are text in them too.
func checkFeeds(t *testing.T, out string) {
	t.Helper()
	var feed struct {
		Title   string `xml:"title"`
		Entries []struct {
			Title   string `xml:"title"`
			Summary string `xml:"summary"`
		} `xml:"entry"`
	}
	decodeXML(t, filepath.Join(out, "feed.xml"), &feed)
	if feed.Title != hostileSite || len(feed.Entries) != 1 || feed.Entries[0].Title != hostileTitle || feed.Entries[0].Summary != hostileSummary {
		t.Errorf("feed.xml does not carry the hostile values as text: %+v", feed)
	}
	var sitemap struct {
		Locs []string `xml:"url>loc"`
	}
	decodeXML(t, filepath.Join(out, "sitemap.xml"), &sitemap)
	for _, loc := range sitemap.Locs {
		if !strings.HasPrefix(loc, "https://kb.example.org/") || strings.ContainsAny(loc, "<>\"' ") {
			t.Errorf("sitemap.xml: unsafe location %q", loc)
		}
	}
}

func decodeXML(t *testing.T, file string, v any) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	dec.Strict = true
	if err := dec.Decode(v); err != nil {
		t.Errorf("%s is not well-formed XML: %v", filepath.Base(file), err)
	}
}
