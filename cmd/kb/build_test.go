package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/sitetest"
)

// buildSite builds testdata/site.txtar and returns the output folder.
func buildSite(t *testing.T, extra ...string) (root, out string) {
	t.Helper()
	_, root = sitetest.Load(t, "testdata/site.txtar")
	out = filepath.Join(t.TempDir(), "public")
	args := append([]string{"build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out}, extra...)
	code, stdout, stderr := kb(t, args...)
	if code != 0 {
		t.Fatalf("build failed (%d): %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "kb: built ") || strings.Count(stdout, "\n") != 1 {
		t.Errorf("want one summary line, got %q", stdout)
	}
	return root, out
}

func TestBuildSinglePage(t *testing.T) {
	_, out := buildSite(t)
	doc := sitetest.Page(t, out, "standards/dspt/index.html")
	checks := map[string][]string{
		"h1":                                  {"Data Security and Protection Toolkit"},
		".nhsuk-breadcrumb__link":             {"Home", "Standards"},
		"p.kb-type":                           {"Type: Standard"},
		".kb-meta a[href^='/measures/']":      {"Safe practice", "Well led"},
		".kb-meta a[href^='/topics/']":        {"Cyber security"},
		".kb-meta a[href^='/organisations/']": {"NHS England"},
		".nhsuk-contents-list__link":          {"What it requires", "Who must comply", "Evidence"},
		".kb-downloads a":                     {"Checklist (CSV, 17 bytes)"},
		".kb-related a":                       {"Choosing an EPR"},
		".nhsuk-review-date":                  {"Page last reviewed: 1 April 2026 Next review due: 1 October 2026"},
	}
	for sel, want := range checks {
		if got := sitetest.Texts(doc.Find(sel)); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if got, _ := doc.Find("link[rel=canonical]").Attr("href"); got != "https://kb.example.org/standards/dspt/" {
		t.Errorf("canonical = %q", got)
	}
	if got, _ := doc.Find("meta[property='og:title']").Attr("content"); got != "Data Security and Protection Toolkit" {
		t.Errorf("og:title = %q", got)
	}
	if got := sitetest.Attrs(doc.Find("a"), "href"); !slices.Contains(got, "https://github.com/example/kb/edit/main/content/standards/dspt/index.md") {
		t.Errorf("no edit link among %q", got)
	}
	sources := doc.Find("ol.kb-sources > li")
	if got := sitetest.Texts(sources.Find("a")); !reflect.DeepEqual(got, []string{"Data Security and Protection Toolkit", "Cyber security: a guide for boards"}) {
		t.Errorf("source titles = %q", got)
	}
	if got := sitetest.Attrs(sources.Find("a"), "href"); !reflect.DeepEqual(got, []string{"https://www.dsptoolkit.nhs.uk/", "https://www.example.org/cyber?a=1&b=2"}) {
		t.Errorf("source links = %q", got)
	}
	if got := sitetest.Texts(sources.Find(".nhsuk-body-s")); !reflect.DeepEqual(got, []string{"NHS England, published 3 March 2025, accessed 30 November 2026", "Example Trust, accessed 1 April 2026"}) {
		t.Errorf("source details = %q", got)
	}
	if got := sitetest.Texts(doc.Find("h2#kb-sources")); !reflect.DeepEqual(got, []string{"Sources"}) {
		t.Errorf("sources heading = %q", got)
	}
	if doc.Find("header svg.nhsuk-header__logo").Length() != 1 {
		t.Error("nhs_identity: true, but the header has no NHS logo")
	}
	if got := sitetest.Texts(doc.Find("footer .kb-publisher")); !reflect.DeepEqual(got, []string{"Published by Example Trust."}) {
		t.Errorf("footer publisher = %q", got)
	}
	if got, _ := doc.Find("footer .kb-publisher a").Attr("href"); got != "https://www.example.org/" {
		t.Errorf("publisher link = %q", got)
	}
	second := sitetest.Page(t, out, "guides/second/index.html")
	if second.Find(".kb-body .footnotes li").Length() != 1 || second.Find(".kb-body sup a[href^='#fn']").Length() != 1 {
		t.Error("Markdown footnotes are not rendered")
	}
	if second.Find(".kb-sources").Length() != 0 {
		t.Error("a page without sources shows a Sources list")
	}
	if _, err := os.Stat(filepath.Join(out, "standards/dspt/checklist.csv")); err != nil {
		t.Errorf("download not copied beside its page: %v", err)
	}
	guide := sitetest.Page(t, out, "guides/epr-guide/index.html")
	if got := sitetest.Attrs(guide.Find(".kb-body a"), "href"); !reflect.DeepEqual(got, []string{"/standards/dspt/#who-must-comply"}) {
		t.Errorf("relative .md link not rewritten: %q", got)
	}
	if guide.Find(".nhsuk-contents-list").Length() != 0 {
		t.Error("a page with fewer than three headings should have no table of contents")
	}
}

// TestBuildEveryPageHasLandmarks checks the accessibility basics on every page:
// one h1, lang, a skip link to main, header, main and footer landmarks.
func TestBuildEveryPageHasLandmarks(t *testing.T) {
	_, out := buildSite(t)
	n := 0
	_ = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") || strings.Contains(p, "/old/") {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		doc := sitetest.Page(t, out, rel)
		n++
		if got := doc.Find("h1").Length(); got != 1 {
			t.Errorf("%s: %d h1 elements", rel, got)
		}
		if lang, _ := doc.Find("html").Attr("lang"); lang != "en-GB" {
			t.Errorf("%s: lang = %q", rel, lang)
		}
		for _, sel := range []string{"a.nhsuk-skip-link[href='#maincontent']", "body > header.nhsuk-header", "main#maincontent", "body > footer.nhsuk-footer"} {
			if doc.Find(sel).Length() != 1 {
				t.Errorf("%s: no %s", rel, sel)
			}
		}
		if doc.Find("script:not([src])").Length() != 0 {
			t.Errorf("%s: inline script", rel)
		}
		return nil
	})
	if n < 20 {
		t.Fatalf("only %d pages built", n)
	}
}

func TestBuildListsAndTaxonomies(t *testing.T) {
	_, out := buildSite(t)
	home := sitetest.Page(t, out, "index.html")
	if got := home.Find(".nhsuk-card__link[href^='/measures/']").Length(); got != 7 {
		t.Errorf("home shows %d measure cards, want 7", got)
	}
	if got := sitetest.Texts(home.Find("a[href='/measures/improve-care/']").Closest(".nhsuk-card").Find(".kb-count")); !reflect.DeepEqual(got, []string{"3 items"}) {
		t.Errorf("improve-care count = %q", got)
	}
	// page_size 2: three guides make two pages; the draft is not published.
	p1 := sitetest.Page(t, out, "guides/index.html")
	p2 := sitetest.Page(t, out, "guides/page/2/index.html")
	if got := sitetest.Texts(p1.Find(".nhsuk-card__link")); !reflect.DeepEqual(got, []string{"Choosing an EPR", "Second guide"}) {
		t.Errorf("guides page 1 = %q", got)
	}
	if got := sitetest.Texts(p2.Find(".nhsuk-card__link")); !reflect.DeepEqual(got, []string{"Third guide"}) {
		t.Errorf("guides page 2 = %q", got)
	}
	if href, _ := p1.Find("a[rel=next]").Attr("href"); href != "/guides/page/2/" {
		t.Errorf("next link = %q", href)
	}
	if _, err := os.Stat(filepath.Join(out, "guides/unfinished/index.html")); err == nil {
		t.Error("a draft was published")
	}
	m := sitetest.Page(t, out, "measures/safe-practice/index.html")
	if got := sitetest.Texts(m.Find("h3[id]")); !reflect.DeepEqual(got, []string{"Standards (1)", "Guides (1)"}) {
		t.Errorf("measure groups = %q", got)
	}
	if got := sitetest.Texts(m.Find(".kb-body h2")); !reflect.DeepEqual(got, []string{"How to start"}) {
		t.Errorf("measure intro not shown: %q", got)
	}
	topics := sitetest.Page(t, out, "topics/index.html")
	if got := sitetest.Texts(topics.Find("dd")); len(got) != 2 || !strings.HasPrefix(got[0], "Keeping systems safe from attack.") {
		t.Errorf("topic descriptions = %q", got)
	}
	org := sitetest.Page(t, out, "organisations/nhs-england/index.html")
	if got := sitetest.Texts(org.Find(".nhsuk-card__link")); !reflect.DeepEqual(got, []string{"Data Security and Protection Toolkit"}) {
		t.Errorf("organisation items = %q", got)
	}
	alias := sitetest.Page(t, out, "old/dspt/index.html")
	if got, _ := alias.Find("meta[http-equiv=refresh]").Attr("content"); got != "0; url=/standards/dspt/" {
		t.Errorf("alias refresh = %q", got)
	}
	sitetest.Page(t, out, "404.html")
	sitetest.Page(t, out, "about/index.html")
}

func TestBuildFeeds(t *testing.T) {
	_, out := buildSite(t)
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	readXML(t, filepath.Join(out, "sitemap.xml"), &sm)
	var locs []string
	for _, u := range sm.URLs {
		locs = append(locs, u.Loc)
	}
	for _, want := range []string{"https://kb.example.org/", "https://kb.example.org/standards/dspt/", "https://kb.example.org/guides/page/2/"} {
		if !slices.Contains(locs, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	for _, bad := range []string{"https://kb.example.org/old/dspt/", "https://kb.example.org/guides/unfinished/"} {
		if slices.Contains(locs, bad) {
			t.Errorf("sitemap lists %s", bad)
		}
	}
	type link struct {
		Href  string `xml:"href,attr"`
		Rel   string `xml:"rel,attr"`
		Title string `xml:"title,attr"`
	}
	var feed struct {
		Author struct {
			Name string `xml:"name"`
			URI  string `xml:"uri"`
		} `xml:"author"`
		Entries []struct {
			Title string `xml:"title"`
			Links []link `xml:"link"`
		} `xml:"entry"`
	}
	readXML(t, filepath.Join(out, "feed.xml"), &feed)
	if len(feed.Entries) != 4 || feed.Entries[0].Title != "Choosing an EPR" {
		t.Errorf("feed entries = %+v", feed.Entries)
	}
	if feed.Author.Name != "Example Trust" || feed.Author.URI != "https://www.example.org/" {
		t.Errorf("feed author = %+v, want the publisher", feed.Author)
	}
	for _, e := range feed.Entries {
		if e.Title != "Data Security and Protection Toolkit" {
			continue
		}
		want := []link{{Href: "https://kb.example.org/standards/dspt/"},
			{Href: "https://www.dsptoolkit.nhs.uk/", Rel: "related", Title: "Data Security and Protection Toolkit (NHS England)"},
			{Href: "https://www.example.org/cyber?a=1&b=2", Rel: "related", Title: "Cyber security: a guide for boards (Example Trust)"}}
		if !reflect.DeepEqual(e.Links, want) {
			t.Errorf("feed links of the DSPT entry = %+v, want %+v", e.Links, want)
		}
	}
	robots, _ := os.ReadFile(filepath.Join(out, "robots.txt"))
	if !strings.Contains(string(robots), "Sitemap: https://kb.example.org/sitemap.xml") {
		t.Errorf("robots.txt = %q", robots)
	}
}

func readXML(t *testing.T, file string, v any) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// TestBuildIndependentSite builds a site that is not the NHS's own: no
// nhs_identity, no repository, no publisher. Its header keeps the NHS.UK
// styling without the logo, and there are no edit links.
func TestBuildIndependentSite(t *testing.T) {
	root := sitetest.Write(t, []byte(`-- site.yaml --
title: Independent KB
-- content/guides/a.md --
---
title: A guide
summary: A page.
measures: [well-led]
---
Text.
`))
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out); code != 0 {
		t.Fatalf("build failed (%d): %s", code, stderr)
	}
	doc := sitetest.Page(t, out, "guides/a/index.html")
	if n := doc.Find(".nhsuk-header__logo, .nhsuk-header__service-logo").Length(); n != 0 {
		t.Errorf("the header shows the NHS logo (%d elements) without nhs_identity: true", n)
	}
	if got := sitetest.Texts(doc.Find(".nhsuk-header__service a.nhsuk-header__service-name")); !reflect.DeepEqual(got, []string{"Independent KB"}) {
		t.Errorf("header service name = %q", got)
	}
	if strings.Contains(doc.Text(), "Suggest a change") {
		t.Error("an edit link without a repository")
	}
	if doc.Find(".kb-publisher").Length() != 0 {
		t.Error("a publisher line without a publisher")
	}
}

func TestBuildBaseURLFlagAndDrafts(t *testing.T) {
	_, out := buildSite(t, "--base-url", "https://preview.example.org", "--drafts")
	doc := sitetest.Page(t, out, "guides/unfinished/index.html")
	if got, _ := doc.Find("link[rel=canonical]").Attr("href"); got != "https://preview.example.org/guides/unfinished/" {
		t.Errorf("canonical = %q", got)
	}
}

func TestBuildRefusesOutOverSources(t *testing.T) {
	_, root := sitetest.Load(t, "testdata/site.txtar")
	theme := sitetest.ThemeDir(t)
	for _, out := range []string{root, filepath.Join(root, "content"), filepath.Join(root, "content", "x"), filepath.Dir(root)} {
		code, _, stderr := kb(t, "build", "--source", root, "--theme", theme, "--out", out)
		if code != 1 || !strings.Contains(stderr, "would overwrite") {
			t.Errorf("--out %s: code %d, stderr %q", out, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "content", "_index.md")); err != nil {
		t.Fatal("sources were touched")
	}
}

// An index folder kb cannot write is reported before any page is, and the
// previous site is left as it was.
func TestUnwritableIndexLeavesThePreviousSite(t *testing.T) {
	root, out := buildSite(t)
	before := sitetest.Snapshot(t, out)
	blocker := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out,
		"--index", filepath.Join(blocker, "index.bleve"))
	if code != 1 || !strings.HasPrefix(stderr, "kb: search index: cannot write in "+blocker) ||
		!strings.HasSuffix(stderr, `: choose another --index folder, or "" for none`+"\n") {
		t.Errorf("code %d, stderr %q", code, stderr)
	}
	if after := sitetest.Snapshot(t, out); !reflect.DeepEqual(before, after) {
		t.Error("the failed build changed the previous site")
	}
}

func TestNewWritesAPageThatBuilds(t *testing.T) {
	_, root := sitetest.Load(t, "testdata/site.txtar")
	code, stdout, stderr := kb(t, "new", "--source", root, "guide", "Running a discovery")
	if code != 0 {
		t.Fatalf("kb new: %d %s", code, stderr)
	}
	if !strings.Contains(stdout, "content/guides/running-a-discovery.md") {
		t.Errorf("stdout = %q", stdout)
	}
	if code, _, _ := kb(t, "new", "--source", root, "guide", "Running a discovery"); code != 1 {
		t.Error("kb new overwrote an existing page")
	}
	if code, _, stderr := kb(t, "new", "--source", root, "recipe", "X"); code != 2 || !strings.Contains(stderr, "valid types are blueprint, standard, template, case-study, guide") {
		t.Errorf("unknown type: %d %q", code, stderr)
	}
	src, _ := os.ReadFile(filepath.Join(root, "content/guides/running-a-discovery.md"))
	if !strings.Contains(string(src), "title: \"Running a discovery\"\ntype: guide\n") || !strings.Contains(string(src), "draft: true") {
		t.Errorf("new page front matter:\n%s", src)
	}
	if code, _, stderr := kb(t, "check", "--source", root, "--theme", sitetest.ThemeDir(t)); code != 0 {
		t.Errorf("kb check with the new draft: %d %q", code, stderr)
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, c := range commands() {
		code, _, stderr := kb(t, c.name, "--help")
		if code != 0 || !strings.Contains(stderr, "Usage: kb "+c.name) {
			t.Errorf("kb %s --help: %d %q", c.name, code, stderr)
		}
	}
	if code, _, stderr := kb(t, "frobnicate"); code != 2 || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, stderr)
	}
}

// TestWarningsDoNotFailTheBuild: an overdue review and an unused topic are
// reported with their positions, and the build still succeeds.
func TestWarningsDoNotFailTheBuild(t *testing.T) {
	root := sitetest.Write(t, []byte(`-- site.yaml --
base_url: https://kb.example.org
-- topics.yaml --
- slug: used
  name: Used
- slug: spare
  name: Spare
-- content/guides/a.md --
---
title: A
summary: A page.
measures: [well-led]
topics: [used]
reviewed: 2019-01-01
review_due: 2020-01-01
---
`))
	theme := sitetest.ThemeDir(t)
	want := "content/guides/a.md:7:1: warning: review was due on 2020-01-01: review the page, then update reviewed and review_due\n" +
		"topics.yaml:3:1: warning: topic \"spare\" is not used by any published page: tag a page with it or remove it\n"
	code, stdout, stderr := kb(t, "check", "--source", root, "--theme", theme)
	if code != 0 || stderr != want || !strings.HasSuffix(stdout, "no errors, 2 warnings\n") {
		t.Errorf("check: code %d\nstdout %q\nstderr %q\nwant   %q", code, stdout, stderr, want)
	}
	code, _, stderr = kb(t, "build", "--source", root, "--theme", theme, "--out", filepath.Join(t.TempDir(), "out"))
	if code != 0 || stderr != want {
		t.Errorf("build: code %d, stderr %q", code, stderr)
	}
}

// kb build --function writes the search function's bundle: the index and
// the search page's frame, and none of the site's sources; without an index
// it refuses before building anything.
func TestBuildFunctionWritesTheBundle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bundle")
	root, _ := buildSite(t, "--function", dir)
	for _, f := range []string{"index.bleve/index_meta.json", "search.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the bundle lacks %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "content")); err == nil {
		t.Error("the bundle holds the site's content")
	}
	code, _, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", filepath.Join(t.TempDir(), "public"),
		"--index", "", "--function", dir)
	if want := "kb: --function needs the search index, which --index \"\" leaves out: give --index a folder, or leave it out\n"; code != 2 || stderr != want {
		t.Errorf("code %d, stderr %q, want %q", code, stderr, want)
	}
}
