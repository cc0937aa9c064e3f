package build

import (
	"fmt"
	"strings"

	"github.com/nhsx/kb/internal/render"
)

// Count is how many pages a site has, in the words kb build, kb check and
// kb serve all print, so that the three agree. A page is a published
// Markdown file; the pages kb makes itself (section, measure, topic and
// organisation lists, their further pages, search, 404, redirects) are
// counted apart, as generated.
type Count struct {
	Pages     int // published pages, one for each Markdown file
	Sources   int // Markdown files under content/, drafts included
	Generated int // HTML pages kb generates
	Shown     int // drafts among Pages, as the preview and --drafts show them
}

// Count counts the model's pages and the HTML pages it would render.
func (m *Model) Count() Count { return countOf(m, m.Renderer.Jobs()) }

func countOf(m *Model, jobs []render.Job) Count {
	s := m.Site
	c := Count{Pages: len(s.BySource), Sources: len(s.BySource) + s.Drafts()}
	for _, p := range s.BySource {
		if p.Draft {
			c.Shown++
		}
	}
	for _, j := range jobs {
		if strings.HasSuffix(j.Path, ".html") {
			c.Generated++
		}
	}
	c.Generated -= c.Pages // each page renders to one HTML file
	return c
}

func (c Count) String() string {
	from := fmt.Sprintf("from %d source %s", c.Sources, plural(c.Sources, "file", "files"))
	if d := c.Sources - c.Pages; d > 0 {
		from += fmt.Sprintf(", %d of them %s", d, plural(d, "a draft", "drafts"))
	}
	if c.Shown > 0 {
		from += fmt.Sprintf(", %d of them %s, shown", c.Shown, plural(c.Shown, "a draft", "drafts"))
	}
	return fmt.Sprintf("%d %s (%s) and %d generated %s", c.Pages, plural(c.Pages, "page", "pages"), from,
		c.Generated, plural(c.Generated, "page", "pages"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
