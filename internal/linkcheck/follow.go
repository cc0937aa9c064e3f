package linkcheck

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// follow checks one reference from the page at name, returning what is wrong
// or "" when it resolves.
func (c *checker) follow(name, ref string) string {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "not a valid URL"
	}
	if u.Scheme != "" || u.Host != "" {
		if c.base == nil || u.Host != c.base.Host || (u.Scheme != c.base.Scheme && u.Scheme != "") {
			return "" // leaves the site: not ours to check
		}
		u = &url.URL{Path: u.Path, RawPath: u.RawPath, Fragment: u.Fragment}
	}
	self := &url.URL{Path: "/" + name}
	target := self.ResolveReference(u)
	file, ok := c.file(target.Path)
	if !ok {
		return "no such file in the site"
	}
	if u.Fragment == "" || filepath.Ext(file) != ".html" {
		return ""
	}
	p := c.pages[file]
	if p == nil || !p.ids[u.Fragment] {
		return fmt.Sprintf("%s has no element with id %q", file, u.Fragment)
	}
	return ""
}

// file maps a URL path to the file a static host would serve for it: the
// file itself, or index.html in a folder (with or without the final slash).
func (c *checker) file(urlPath string) (string, bool) {
	rel := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if strings.HasSuffix(urlPath, "/") || rel == "" {
		rel = path.Join(rel, "index.html")
	}
	for _, cand := range []string{rel, path.Join(rel, "index.html")} {
		fi, err := os.Stat(filepath.Join(c.dir, filepath.FromSlash(cand)))
		if err == nil && !fi.IsDir() {
			return cand, true
		}
	}
	return "", false
}

// sitemap checks that sitemap.xml lists every published page once and nothing
// else. Published pages are the HTML files except 404.html and the redirects
// left at old addresses.
func (c *checker) sitemap() {
	b, err := os.ReadFile(filepath.Join(c.dir, "sitemap.xml"))
	if err != nil {
		c.problems = append(c.problems, Problem{Page: "sitemap.xml", Msg: "missing"})
		return
	}
	var set struct {
		Locs []string `xml:"url>loc"`
	}
	if err := xml.Unmarshal(b, &set); err != nil {
		c.problems = append(c.problems, Problem{Page: "sitemap.xml", Msg: "not valid XML: " + err.Error()})
		return
	}
	listed := map[string]bool{}
	for _, loc := range set.Locs {
		file, ok := c.sitemapFile(loc)
		switch {
		case !ok:
			c.problems = append(c.problems, Problem{Page: "sitemap.xml", Ref: loc, Msg: "lists a page the site does not have"})
		case listed[file]:
			c.problems = append(c.problems, Problem{Page: "sitemap.xml", Ref: loc, Msg: "lists the same page twice"})
		}
		listed[file] = true
	}
	var unlisted []string
	for name, p := range c.pages {
		if !listed[name] && !p.redirect && name != "404.html" {
			unlisted = append(unlisted, name)
		}
	}
	sort.Strings(unlisted)
	for _, name := range unlisted {
		c.problems = append(c.problems, Problem{Page: "sitemap.xml", Ref: name, Msg: "does not list this published page"})
	}
}

// sitemapFile maps a sitemap location to a published page's file.
func (c *checker) sitemapFile(loc string) (string, bool) {
	u, err := url.Parse(loc)
	if err != nil || (c.base != nil && u.Host != c.base.Host) {
		return "", false
	}
	file, ok := c.file(u.Path)
	if !ok || c.pages[file] == nil || c.pages[file].redirect {
		return "", false
	}
	return file, true
}
