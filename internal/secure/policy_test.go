package secure_test

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/nhsx/kb/internal/secure"
	"github.com/nhsx/kb/internal/sitetest/sitebuild"
)

// TestBuiltSiteNeedsNothingThePolicyForbids builds the real knowledge base and
// checks every page and stylesheet against the Content-Security-Policy: no
// inline script or style, no event-handler attributes or javascript: links,
// nothing loaded from another origin (fonts from the NHS asset host aside).
// A page that broke one of these rules would silently lose its script or
// style in production, where the policy is enforced.
func TestBuiltSiteNeedsNothingThePolicyForbids(t *testing.T) {
	out := sitebuild.Repo(t)
	pages, sheets := 0, 0
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		switch filepath.Ext(p) {
		case ".html":
			pages++
			for _, v := range pageViolations(t, p) {
				t.Errorf("%s: %s", filepath.ToSlash(rel), v)
			}
		case ".css":
			sheets++
			for _, v := range cssViolations(t, p) {
				t.Errorf("%s: %s", filepath.ToSlash(rel), v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 20 || sheets == 0 {
		t.Fatalf("checked only %d pages and %d stylesheets: is the build complete?", pages, sheets)
	}
}

// pageViolations lists what in one HTML file the policy would block.
func pageViolations(t *testing.T, file string) []string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := goquery.NewDocumentFromReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		src, ok := s.Attr("src")
		typ, _ := s.Attr("type")
		switch {
		case !ok && strings.EqualFold(strings.TrimSpace(typ), "application/json"):
			// A data block (the self-assessment's statements): browsers never
			// run it, so the policy, which governs what runs, lets it be.
		case !ok:
			bad = append(bad, "inline <script>")
		case !sameOrigin(src):
			bad = append(bad, "script from "+src)
		}
	})
	if n := doc.Find("style").Length(); n > 0 {
		bad = append(bad, "inline <style>")
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			name := strings.ToLower(a.Key)
			switch {
			case name == "style":
				bad = append(bad, "style= attribute on <"+goquery.NodeName(s)+">")
			case strings.HasPrefix(name, "on"):
				bad = append(bad, name+"= attribute on <"+goquery.NodeName(s)+">")
			case (name == "href" || name == "src" || name == "action" || name == "formaction") && scheme(a.Val) == "javascript":
				bad = append(bad, "javascript: URL in "+name)
			}
		}
	})
	loads := "img[src], iframe[src], frame[src], embed[src], object[data], audio[src], video[src], source[src], link[rel~=stylesheet], link[rel~=icon], link[rel~=manifest], link[rel~=preload]"
	doc.Find(loads).Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"src", "href", "data"} {
			if v, ok := s.Attr(attr); ok && !sameOrigin(v) && !(goquery.NodeName(s) == "img" && scheme(v) == "data") {
				bad = append(bad, "<"+goquery.NodeName(s)+"> loads "+v)
			}
		}
	})
	if n := doc.Find("iframe, frame, object, embed").Length(); n > 0 {
		bad = append(bad, "embedded frames or plugins")
	}
	return bad
}

var cssURL = regexp.MustCompile(`url\(\s*['"]?([^'")]+)`)

// cssViolations lists what a stylesheet loads from outside the site: only
// data: images and the NHS fonts are allowed.
func cssViolations(t *testing.T, file string) []string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	for _, m := range cssURL.FindAllStringSubmatch(string(b), -1) {
		u := m[1]
		if sameOrigin(u) || scheme(u) == "data" || strings.HasPrefix(u, secure.FontOrigin+"/") {
			continue
		}
		bad = append(bad, "url("+u+")")
	}
	if strings.Contains(string(b), "@import") {
		bad = append(bad, "@import")
	}
	return bad
}

// sameOrigin reports a URL that stays on the site: relative, or rooted.
func sameOrigin(u string) bool {
	p, err := url.Parse(strings.TrimSpace(u))
	return err == nil && p.Scheme == "" && p.Host == "" && !strings.HasPrefix(u, "//")
}

func scheme(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return ""
	}
	return strings.ToLower(p.Scheme)
}
