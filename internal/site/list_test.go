package site

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/content"
)

// TestListsByNumber checks the lists the site keeps as numbers against the
// front matter they come from, on a site whose drafts leave gaps in the
// pages' numbering: every term's and section's items in reading order, each
// item's terms in the order written, and the List operations the renderer
// uses.
func TestListsByNumber(t *testing.T) {
	type guide struct {
		name, topics, orgs string
		draft              bool
	}
	guides := []guide{
		{"e", "alpha, beta", "Org A", false},
		{"a", "alpha", "", false},
		{"d", "beta", "Org A, Org B", true}, // a draft: its number is a gap
		{"c", "beta, alpha", "Org B", false},
		{"b", "", "", false},
	}
	tree := &content.Tree{}
	for i, g := range guides {
		src := fmt.Sprintf("---\ntitle: %s\nsummary: S\nmeasures: [well-led, improve-care]\ntopics: [%s]\norganisations: [%s]\ndraft: %t\n---\nBody.\n",
			strings.ToUpper(g.name), g.topics, g.orgs, g.draft)
		p := parseGuide(t, i, src)
		p.Path = "content/guides/" + g.name + ".md"
		tree.Pages = append(tree.Pages, p)
	}
	cfg, _ := config.Load(t.TempDir())
	s, errs := New(cfg, tree, Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	// What each list should hold, worked out from the table above: the
	// published guides tagged with it, by title.
	want := func(tagged func(g guide) bool) []string {
		var out []string
		for _, g := range guides {
			if !g.draft && tagged(g) {
				out = append(out, "content/guides/"+g.name+".md")
			}
		}
		slices.Sort(out) // titles are the names in capitals
		return out
	}
	has := func(list, v string) bool { return slices.Contains(strings.Split(list, ", "), v) }
	for _, term := range s.Topics {
		if got, w := paths(term.Pages()), want(func(g guide) bool { return has(g.topics, term.Slug) }); !slices.Equal(got, w) || term.Len() != len(w) {
			t.Errorf("topic %s holds %v (Len %d), want %v", term.Slug, got, term.Len(), w)
		}
	}
	for _, term := range s.Organisations {
		if got, w := paths(term.Pages()), want(func(g guide) bool { return has(g.orgs, term.Name) }); !slices.Equal(got, w) {
			t.Errorf("organisation %s holds %v, want %v", term.Name, got, w)
		}
	}
	all := want(func(guide) bool { return true })
	if got := paths(s.section("guides").Pages()); !slices.Equal(got, all) {
		t.Errorf("the guides section holds %v, want %v", got, all)
	}
	for _, g := range guides {
		p := s.BySource["content/guides/"+g.name+".md"]
		if g.draft {
			if p != nil {
				t.Errorf("draft %s is published", g.name)
			}
			continue
		}
		if got := slugs(p.TopicTerms()); strings.Join(got, ", ") != g.topics {
			t.Errorf("%s's topics are %v, want %q", g.name, got, g.topics)
		}
		var orgs []string
		for _, o := range p.OrgTerms() {
			orgs = append(orgs, o.Name)
		}
		if strings.Join(orgs, ", ") != g.orgs {
			t.Errorf("%s's organisations are %v, want %q", g.name, orgs, g.orgs)
		}
		if got := slugs(p.MeasureTerms()); !slices.Equal(got, []string{"well-led", "improve-care"}) {
			t.Errorf("%s's measures are %v", g.name, got)
		}
	}

	guidesList := s.section("guides").List
	b := guidesList.At(1)
	if got := paths(guidesList.Slice(1, 3).Pages()); !slices.Equal(got, all[1:3]) {
		t.Errorf("Slice(1, 3) = %v, want %v", got, all[1:3])
	}
	if got := paths(guidesList.Slice(1, 3).WithFirst(b).Pages()); !slices.Equal(got, []string{all[1], all[1], all[2]}) {
		t.Errorf("WithFirst = %v", got)
	}
	if got := paths(s.ListOf(b, guidesList.At(0)).Pages()); !slices.Equal(got, []string{all[1], all[0]}) {
		t.Errorf("ListOf = %v", got)
	}
	if none := s.ListOf(); none.Site() != s || none.Pages() != nil || none.Len() != 0 {
		t.Errorf("an empty list of the site: site %p, pages %v", none.Site(), none.Pages())
	}
	if (List{}).Site() != nil || (List{}).Pages() != nil {
		t.Error("the zero List has a site or pages")
	}
}

func slugs(terms []*Term) []string {
	var out []string
	for _, t := range terms {
		out = append(out, t.Slug)
	}
	return out
}
