package render

import (
	"fmt"
	"net/url"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/site"
)

// LatestCount is how many recent items the home page shows.
const LatestCount = 6

// GroupLimit is how many items of one type a measure page lists before it
// links to search for the rest: a measure of thousands of items would make a
// page too heavy for a slow connection.
const GroupLimit = 12

func (r *Renderer) homeView() *View {
	s := r.site
	v := &View{Title: s.Config.Title, URL: "/", Terms: s.Measures}
	if s.Home != nil {
		v.Page = s.Home
		v.Content = r.intro(v, s.Home)
		v.Description = s.Home.Summary
	}
	v.Latest = s.Items[:min(LatestCount, len(s.Items))]
	return r.fill(v)
}

// paged splits a list into pages of the site's page size, each its own job.
func (r *Renderer) paged(base, layout string, items site.List, mk func(items []*site.Page, pager *Pager) *View) []Job {
	size := r.site.Config.PageSize
	total := max(1, (items.Len()+size-1)/size)
	jobs := make([]Job, 0, total)
	for n := 1; n <= total; n++ {
		lo, hi := (n-1)*size, min(n*size, items.Len())
		chunk := items.Slice(lo, hi)
		// The pager and the page's address are made as it is rendered: a
		// site of 100,000 items has some 40,000 list pages, whose jobs are
		// held through the whole render.
		// One closure for the job, not view's over a maker's: two
		// closures for each list page were a good part of what the jobs
		// hold.
		jobs = append(jobs, Job{Path: outPath(pageURL(base, n)), deps: chunk, Layout: layout, lender: r.theme, Run: func() ([]byte, error) {
			v := mk(chunk.Pages(), newPager(base, n, total))
			v.URL = pageURL(base, n)
			if n > 1 {
				v.Title = fmt.Sprintf("%s (page %d of %d)", v.Title, n, total)
			}
			return r.lend(layout, r.fill(v))
		}})
	}
	return jobs
}

// newPager links page n of a list of total pages at base to its neighbours.
func newPager(base string, n, total int) *Pager {
	pager := &Pager{Current: n, Total: total}
	if n > 1 {
		pager.Prev, pager.PrevN = pageURL(base, n-1), n-1
	}
	if n < total {
		pager.Next, pager.NextN = pageURL(base, n+1), n+1
	}
	return pager
}

func pageURL(base string, n int) string {
	if n == 1 {
		return base
	}
	return fmt.Sprintf("%spage/%d/", base, n)
}

func (r *Renderer) sectionJobs(sec *site.Section) []Job {
	return r.paged(sec.URL, "section", sec.List, func(items []*site.Page, pager *Pager) *View {
		v := &View{Title: sec.Name, Section: sec, Items: items, Pager: pager,
			Breadcrumbs: []Crumb{{Title: "Home", URL: "/"}}}
		if sec.Intro != nil {
			v.Title = sec.Intro.Title
			v.Description = sec.Intro.Summary
			v.Page = sec.Intro
			if pager.Current == 1 {
				v.Content = r.intro(v, sec.Intro)
			}
		}
		return v
	})
}

func (r *Renderer) measuresView() *View {
	v := &View{Title: "WGLL success measures", URL: "/measures/", Terms: r.site.Measures,
		Description: "The seven What Good Looks Like success measures, and the knowledge base's items for each.",
		Breadcrumbs: []Crumb{{Title: "Home", URL: "/"}}}
	return r.fill(v)
}

func (r *Renderer) measureJob(m *site.Term) Job {
	deps := m.List
	if m.Intro != nil {
		deps = m.WithFirst(m.Intro)
	}
	return r.view(outPath(m.URL), "measure", deps, func() *View {
		v := &View{Title: m.Name, URL: m.URL, Term: m, Description: m.Description,
			Breadcrumbs: []Crumb{{Title: "Home", URL: "/"}, {Title: "Success measures", URL: "/measures/"}}}
		if m.Intro != nil {
			v.Page = m.Intro
			v.Content = r.intro(v, m.Intro)
			v.Description = m.Intro.Summary
		}
		v.Groups = groupByType(m, m.Pages())
		return r.fill(v)
	})
}

// groupByType sorts a measure's items under their type, in section order.
func groupByType(m *site.Term, pages []*site.Page) []Group {
	var groups []Group
	for _, sec := range content.Sections {
		g := Group{Title: sec.Name, Type: sec.Type}
		for _, p := range pages {
			if p.Type == sec.Type {
				g.Total++
				if len(g.Items) < GroupLimit || len(pages) <= 100 {
					g.Items = append(g.Items, p)
				}
			}
		}
		if g.Total > len(g.Items) {
			g.MoreURL = "/search/?" + url.Values{"measure": {m.Slug}, "type": {sec.Type}}.Encode()
		}
		if g.Total > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// termsView lists every term of a taxonomy (topics or organisations).
func (r *Renderer) termsView(taxonomy, title string, terms []*site.Term) *View {
	v := &View{Taxonomy: taxonomy, Title: title, URL: "/" + taxonomy + "/", Terms: terms,
		Breadcrumbs: []Crumb{{Title: "Home", URL: "/"}}}
	switch taxonomy {
	case "topics":
		v.Description = "Every topic in the knowledge base, with what it covers."
	case "organisations":
		v.Description = "NHS organisations whose work the knowledge base describes."
	}
	return r.fill(v)
}

// termJobs are the paged lists of one term's items.
func (r *Renderer) termJobs(taxonomy, title string, t *site.Term) []Job {
	return r.paged(t.URL, "term", t.List, func(items []*site.Page, pager *Pager) *View {
		return &View{Taxonomy: taxonomy, Title: t.Name, Term: t, Items: items, Pager: pager, Description: t.Description,
			Breadcrumbs: []Crumb{{Title: "Home", URL: "/"}, {Title: title, URL: "/" + taxonomy + "/"}}}
	})
}

func (r *Renderer) notFoundView() *View {
	return r.fill(&View{Title: "Page not found", URL: "/404.html"})
}

func (r *Renderer) searchView() *View {
	return r.fill(&View{Title: "Search", URL: "/search/",
		Breadcrumbs: []Crumb{{Title: "Home", URL: "/"}}})
}

// aliasJobs write a small page at each old URL that sends readers on.
func (r *Renderer) aliasJobs() []Job {
	var jobs []Job
	for u, p := range r.site.Aliases {
		// Every alias is a folder (content.CheckAlias), so its redirect is
		// that folder's index.html.
		jobs = append(jobs, r.view(outPath(u), "alias", r.site.ListOf(p), func() *View {
			v := &View{Title: p.Title, URL: p.URL, Redirect: p.URL, Page: p}
			return r.fill(v)
		}))
	}
	return jobs
}
