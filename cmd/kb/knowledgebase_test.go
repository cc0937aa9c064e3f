package main

import (
	"path"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/site"
	"github.com/nhsx/kb/internal/sitetest"
)

// loadKB loads the real knowledge base in content/, failing on any problem
// kb check would report.
func loadKB(t *testing.T) *site.Site {
	t.Helper()
	root := sitetest.RepoRoot(t)
	m, err := build.Check(build.Options{Source: root, ThemeDir: sitetest.ThemeDir(t)})
	if err != nil {
		t.Fatalf("kb check fails on the knowledge base:\n%v", err)
	}
	return m.Site
}

// TestKnowledgeBaseCoverage holds the knowledge base to the coverage its issue
// promises, so that the figures cannot silently drop.
func TestKnowledgeBaseCoverage(t *testing.T) {
	s := loadKB(t)
	if n := len(s.Items) + len(s.Plain); n < 50 {
		t.Errorf("%d published items and pages, want at least 50", n)
	}
	minimum := map[string]int{"blueprint": 10, "standard": 10, "template": 6, "case-study": 8, "guide": 8}
	measuresOf := map[string]map[string]bool{}
	for _, sec := range s.Sections {
		if sec.Len() < minimum[sec.Type] {
			t.Errorf("%d %s items, want at least %d", sec.Len(), sec.Type, minimum[sec.Type])
		}
		measuresOf[sec.Type] = map[string]bool{}
	}
	for _, m := range s.Measures {
		if m.Intro == nil {
			t.Errorf("measure %s has no introduction in content/measures/", m.Slug)
		}
		types := map[string]bool{}
		for _, p := range m.Pages() {
			types[p.Type] = true
			measuresOf[p.Type][m.Slug] = true
		}
		if m.Len() < 8 || len(types) < 3 {
			t.Errorf("measure %s has %d items of %d types, want at least 8 of 3", m.Slug, m.Len(), len(types))
		}
	}
	for typ, ms := range measuresOf {
		if len(ms) < 4 {
			t.Errorf("type %s appears under %d measures, want at least 4", typ, len(ms))
		}
	}
	for _, u := range []string{"/about/", "/accessibility/"} {
		if s.Page(u) == nil {
			t.Errorf("no %s page", u)
		}
	}
}

func TestKnowledgeBaseDigitalAspirants(t *testing.T) {
	s := loadKB(t)
	want := []string{"North Staffordshire Combined Healthcare NHS Trust", "Northern Lincolnshire and Goole NHS Foundation Trust", "Hull University Teaching Hospitals NHS Trust"}
	for _, org := range want {
		found := false
		for _, p := range s.Sections[3].Pages() {
			for _, o := range p.Organisations() {
				found = found || o == org && p.Programme == "Digital Aspirant"
			}
		}
		if !found {
			t.Errorf("no Digital Aspirant case study names %s", org)
		}
	}
}

// TestKnowledgeBaseIsLinkedBothWays checks that each blueprint links its
// standards and case studies, that they link back, and that every page has
// its review dates and every template a download.
func TestKnowledgeBaseIsLinkedBothWays(t *testing.T) {
	s := loadKB(t)
	links := map[*site.Page]map[*site.Page]bool{}
	for _, p := range s.BySource {
		links[p] = map[*site.Page]bool{}
		for _, l := range p.Doc.Links() {
			// The destination as written (a relative .md path) or, once
			// resolved, the target's URL.
			target, _, _ := strings.Cut(l.Dest, "#")
			if q := s.BySource[path.Join(path.Dir(p.Path), target)]; q != nil {
				links[p][q] = true
			} else if q := s.Page(target); q != nil {
				links[p][q] = true
			}
		}
	}
	for _, p := range s.Items {
		if p.Reviewed.IsZero() || p.ReviewDue.IsZero() {
			t.Errorf("%s: no reviewed or review_due date", p.Path)
		}
		if p.Type == "template" && len(p.Downloads) == 0 {
			t.Errorf("%s: a template with no download", p.Path)
		}
		if p.Type != "blueprint" {
			continue
		}
		kinds := map[string]bool{}
		for q := range links[p] {
			if q.Kind != content.Item {
				continue
			}
			kinds[q.Type] = true
			if (q.Type == "standard" || q.Type == "case-study") && !links[q][p] {
				t.Errorf("%s links %s, which does not link back", p.Path, q.Path)
			}
		}
		if !kinds["standard"] || !kinds["case-study"] {
			t.Errorf("%s links no standard or no case study", p.Path)
		}
	}
}
