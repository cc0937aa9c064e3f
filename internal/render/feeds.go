package render

import (
	"encoding/xml"
	"sort"
	"strings"
	"time"

	"github.com/nhsx/kb/internal/site"
)

// SitemapPath is the sitemap's output. It lists every page with its date, and
// the preview renders it again only when those change.
const SitemapPath = "sitemap.xml"

// FeedSize is how many recent items the Atom feed carries.
const FeedSize = 20

// feedJobs make sitemap.xml, feed.xml and robots.txt. They are built with
// encoding/xml rather than templates so that any text in them is escaped.
// The sitemap lists the pages among the other jobs, which it is given
// rather than making them all again: the preview renders it on every edit.
//
// Without a base URL there is no sitemap or feed, as both need absolute
// addresses (a sitemap of "/" paths is invalid), and robots.txt names none.
func (r *Renderer) feedJobs(jobs []Job) []Job {
	if r.site.Config.BaseURL == "" {
		return []Job{{Path: "robots.txt", Run: r.robots}}
	}
	return []Job{
		{Path: SitemapPath, Run: func() ([]byte, error) { return r.sitemap(jobs) }},
		{Path: "feed.xml", Run: r.feed},
		{Path: "robots.txt", Run: r.robots},
	}
}

type urlset struct {
	XMLName xml.Name   `xml:"urlset"`
	NS      string     `xml:"xmlns,attr"`
	URLs    []sitemapU `xml:"url"`
}

type sitemapU struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

func (r *Renderer) sitemap(jobs []Job) ([]byte, error) {
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, u := range r.pageURLs(jobs) {
		e := sitemapU{Loc: r.abs(u)}
		if p := r.site.Page(u); p != nil {
			if d := lastChange(p); !d.IsZero() {
				e.LastMod = d.Format(time.DateOnly)
			}
		}
		set.URLs = append(set.URLs, e)
	}
	return marshal(set)
}

// pageURLs lists the URL of every HTML page among jobs, except the 404 page
// and alias redirects.
func (r *Renderer) pageURLs(jobs []Job) []string {
	var urls []string
	for _, j := range jobs {
		dir, page := strings.CutSuffix(j.Path, "index.html")
		if !page || j.Path == "404.html" {
			continue
		}
		u := "/" + dir
		if _, alias := r.site.Aliases[u]; alias {
			continue
		}
		urls = append(urls, u)
	}
	sort.Strings(urls)
	return urls
}

func lastChange(p *site.Page) time.Time {
	if p.Reviewed.After(p.Date) {
		return p.Reviewed
	}
	return p.Date
}

func (r *Renderer) abs(u string) string {
	if a := Absolute(r.site, u); a != "" {
		return a
	}
	return u
}

type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	NS      string      `xml:"xmlns,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href  string `xml:"href,attr"`
	Rel   string `xml:"rel,attr,omitempty"`
	Title string `xml:"title,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	Title    string     `xml:"title"`
	ID       string     `xml:"id"`
	Links    []atomLink `xml:"link"`
	Updated  string     `xml:"updated"`
	Summary  string     `xml:"summary"`
	Category []atomCat  `xml:"category"`
}

type atomCat struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

func (r *Renderer) feed() ([]byte, error) {
	s := r.site
	f := atomFeed{NS: "http://www.w3.org/2005/Atom", Title: s.Config.Title, ID: r.abs("/"),
		Links:  []atomLink{{Href: r.abs("/feed.xml"), Rel: "self"}, {Href: r.abs("/")}},
		Author: feedAuthor(s)}
	var updated time.Time
	for _, p := range s.Items[:min(FeedSize, len(s.Items))] {
		d := lastChange(p)
		if d.IsZero() {
			d = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		if d.After(updated) {
			updated = d
		}
		e := atomEntry{Title: p.Title, ID: r.abs(p.URL), Links: []atomLink{{Href: r.abs(p.URL)}},
			Updated: d.Format(time.RFC3339), Summary: p.Summary}
		// Each source is a related link, so a reader of the feed sees
		// where an item's facts come from as the page's readers do.
		for _, src := range p.Sources {
			e.Links = append(e.Links, atomLink{Href: src.URL, Rel: "related", Title: src.Title + " (" + src.Publisher + ")"})
		}
		for _, m := range p.MeasureTerms() {
			e.Category = append(e.Category, atomCat{Term: m.Slug, Label: m.Name})
		}
		f.Entries = append(f.Entries, e)
	}
	if updated.IsZero() {
		updated = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	f.Updated = updated.Format(time.RFC3339)
	return marshal(f)
}

// feedAuthor is the site's publisher, as site.yaml names it, or else the
// site itself: Atom requires an author, and the feed should not claim one
// the settings do not.
func feedAuthor(s *site.Site) atomAuthor {
	if pub := s.Config.Publisher; pub.Name != "" {
		return atomAuthor{Name: pub.Name, URI: pub.URL}
	}
	return atomAuthor{Name: s.Config.Title}
}

func marshal(v any) ([]byte, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}

func (r *Renderer) robots() ([]byte, error) {
	robots := "User-agent: *\nAllow: /\n"
	if a := Absolute(r.site, "/sitemap.xml"); a != "" {
		robots += "Sitemap: " + a + "\n"
	}
	return []byte(robots), nil
}
