package render

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/site"
	"github.com/nhsx/kb/internal/wgll"
)

// Funcs are the helpers layouts may call. They close over the settings so that
// absolute and edit links come from one place.
func Funcs(cfg *config.Config) template.FuncMap {
	return template.FuncMap{
		"date":          func(t time.Time) string { return t.Format("2 January 2006") },
		"isoDate":       func(t time.Time) string { return t.Format(time.DateOnly) },
		"upper":         strings.ToUpper,
		"lower":         strings.ToLower,
		"hasPrefix":     hasPrefix,
		"partialCached": partialCached,
		"navPlace":      navPlace,
		"typeName":      typeName,
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return "1 " + one
			}
			return fmt.Sprintf("%d %s", n, many)
		},
		"size": humanSize,
		// intro and afterIntro split a page's HTML at its first h2, so that
		// layouts can put downloads after the introduction.
		"intro": func(h template.HTML) template.HTML {
			if i := strings.Index(string(h), "<h2"); i >= 0 {
				return h[:i]
			}
			return h
		},
		"afterIntro": func(h template.HTML) template.HTML {
			if i := strings.Index(string(h), "<h2"); i >= 0 {
				return h[i:]
			}
			return ""
		},
		"unlinked": unlinked,
		"ownRelated": func(p *site.Page) bool {
			for _, h := range p.Doc.Headings() {
				if h.Level == 2 && strings.HasPrefix(strings.ToLower(h.Text), "related") {
					return true
				}
			}
			return false
		},
		"level": level,
		"tagged": func(terms []*site.Term, class string) any {
			return struct {
				Terms []*site.Term
				Class string
			}{terms, class}
		},
		"last": func(cs []Crumb) *Crumb {
			if len(cs) == 0 {
				return nil
			}
			return &cs[len(cs)-1]
		},
		"measureNumber": func(slug string) int { return wgll.Index(slug) + 1 },
		"absURL": func(path string) string {
			if cfg.BaseURL == "" {
				return ""
			}
			return strings.TrimRight(cfg.BaseURL, "/") + path
		},
		"editURL": func(p interface{ SourcePath() string }) string {
			if cfg.Repository == "" {
				return ""
			}
			return strings.TrimRight(cfg.Repository, "/") + "/edit/" + cfg.Branch + "/" + p.SourcePath()
		},
	}
}

// unlinked keeps the pages the HTML does not already link to, so that the
// sidebar of related items of a page with its own list of them (a "Related
// …" heading, see ownRelated) does not repeat it.
func unlinked(h template.HTML, pages []*site.Page) []*site.Page {
	var out []*site.Page
	for _, p := range pages {
		at := `href="` + p.URL
		if !strings.Contains(string(h), at+`"`) && !strings.Contains(string(h), at+"#") {
			out = append(out, p)
		}
	}
	return out
}

// Leveled is a page or list of pages with the level of heading its titles
// take, so that one partial serves under an h1 and under an h2.
type Leveled struct {
	Level int
	Items []*site.Page
	Item  *site.Page
}

func level(n int, v any) Leveled {
	switch v := v.(type) {
	case []*site.Page:
		return Leveled{Level: n, Items: v}
	case *site.Page:
		return Leveled{Level: n, Item: v}
	}
	return Leveled{Level: n}
}

// typeName is the display name of an item type, singular.
func typeName(t string) string { return wgll.TypeName(t) }

func humanSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.0f KB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
