package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/sitetest"
)

// TestHeaderShowsWhereEachPageIs builds the knowledge base and checks the
// header's navigation on pages of every kind: the section a page is in is
// marked current, as the page itself when it is the section's list, and
// nothing is current elsewhere. The default theme executes the header once
// for each place in the navigation (partialCached, navPlace), not once a
// page, so this is what shows the place was told apart right; the footer,
// executed once a build, must be the same on every page.
func TestHeaderShowsWhereEachPageIs(t *testing.T) {
	root := sitetest.RepoRoot(t)
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out); code != 0 {
		t.Fatalf("build failed: %s", stderr)
	}
	for _, tc := range []struct {
		page, current, aria string // the current link's href and aria-current; "" for none
	}{
		{"index.html", "", ""},
		{"guides/index.html", "/guides/", "page"},
		{"guides/dspt-caf-readiness/index.html", "/guides/", "true"},
		{"standards/index.html", "/standards/", "page"},
		{"measures/index.html", "/measures/", "page"},
		{"measures/well-led/index.html", "/measures/", "true"},
		{"topics/index.html", "/topics/", "page"},
		{"topics/accessibility/index.html", "/topics/", "true"},
		{"self-assessment/index.html", "/self-assessment/", "page"},
		{"organisations/index.html", "", ""},
		{"about/index.html", "", ""},
		{"search/index.html", "", ""},
	} {
		doc := sitetest.Page(t, out, tc.page)
		cur := doc.Find(".nhsuk-header__navigation-item--current a")
		if got := strings.Join(sitetest.Attrs(cur, "href"), " "); got != tc.current {
			t.Errorf("%s: current navigation link %q, want %q", tc.page, got, tc.current)
		}
		if got := strings.Join(sitetest.Attrs(cur, "aria-current"), " "); got != tc.aria {
			t.Errorf("%s: aria-current %q, want %q", tc.page, got, tc.aria)
		}
		if n := doc.Find(".nhsuk-header__navigation-link").Length(); n < 7 {
			t.Errorf("%s: %d navigation links", tc.page, n)
		}
	}
	footer := func(page string) string {
		h, err := sitetest.Page(t, out, page).Find("footer").Html()
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	home := footer("index.html")
	if !strings.Contains(home, `href="/organisations/"`) {
		t.Fatalf("the footer has no link to the organisations: %s", home)
	}
	for _, page := range []string{"guides/index.html", "guides/dspt-caf-readiness/index.html", "topics/accessibility/index.html", "self-assessment/index.html", "404.html"} {
		if got := footer(page); got != home {
			t.Errorf("%s: footer differs from the home page's:\n%s\nwant\n%s", page, got, home)
		}
	}
}

// A site that replaces the theme's header with its own may show anything
// of the page in it: the header the theme caches by navigation place is
// then executed for every page, so each shows its own.
func TestOverriddenHeaderIsNotCached(t *testing.T) {
	root := sitetest.Write(t, []byte(`-- content/guides/one.md --
---
title: First guide
summary: One.
measures: [well-led]
---
-- content/guides/two.md --
---
title: Second guide
summary: Two.
measures: [well-led]
---
-- layouts/partials/header.html --
{{define "header"}}<header><p class="kb-test-title">{{.Title}}</p></header>{{end}}
`))
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out); code != 0 {
		t.Fatalf("build failed: %s", stderr)
	}
	for page, want := range map[string]string{"guides/one/index.html": "First guide", "guides/two/index.html": "Second guide"} {
		if got := sitetest.Page(t, out, page).Find(".kb-test-title").Text(); got != want {
			t.Errorf("%s: header shows %q, want %q", page, got, want)
		}
	}
}
