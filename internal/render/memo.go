package render

import (
	"errors"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/nhsx/kb/internal/theme"
)

// memo keeps, for one renderer (one build of one site), the output of the
// partials that layouts call through partialCached: parts that most pages
// share, such as the header and footer, are executed once for each variant
// rather than once for every page. It is thrown away with the renderer, so
// the next build, after any edit, executes them afresh.
type memo struct {
	theme *theme.Theme
	mu    sync.Mutex
	out   map[memoKey]template.HTML
}

type memoKey struct{ layout, name, variant string }

func newMemo(t *theme.Theme) *memo {
	return &memo{theme: t, out: map[memoKey]template.HTML{}}
}

// partialCached is Hugo's partialCached: it executes the partial name with
// the view v, the first time for each set of variants, and gives back the
// same output for every page with the same variants. What the partial
// shows must depend on nothing but the site and the variants; the default
// theme's footer depends on the site alone, its header on where the page
// stands in the navigation (navPlace). A partial the site's own layouts
// folder replaces is executed for every page: the theme's layouts cannot
// know what it shows.
func partialCached(name string, v *View, variants ...any) (template.HTML, error) {
	if v == nil || v.memo == nil {
		return "", errors.New("partialCached takes the page's view as its context: {{partialCached \"footer\" .}}")
	}
	m := v.memo
	if m.theme.Overridden(v.Layout, name) {
		return m.execute(name, v)
	}
	key := memoKey{layout: v.Layout, name: name, variant: variantKey(variants)}
	m.mu.Lock()
	out, ok := m.out[key]
	m.mu.Unlock()
	if ok {
		return out, nil
	}
	out, err := m.execute(name, v)
	if err != nil {
		return "", err
	}
	m.mu.Lock()
	m.out[key] = out
	m.mu.Unlock()
	return out, nil
}

func (m *memo) execute(name string, v *View) (template.HTML, error) {
	var b strings.Builder
	if err := m.theme.ExecutePartial(&b, v.Layout, name, v); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

func variantKey(variants []any) string {
	parts := make([]string, len(variants))
	for i, v := range variants {
		parts[i] = fmt.Sprintf("%T:%v", v, v)
	}
	return strings.Join(parts, "\x00")
}

// navPlace says where a page at here stands in the navigation, as the
// header shows it: which links are current (hasPrefix), and whether the
// page is one of them. Every page with the same place has the same header.
func navPlace(here string, nav []Crumb) string {
	var b strings.Builder
	for i, c := range nav {
		if hasPrefix(here, c.URL) {
			fmt.Fprintf(&b, "%d", i)
			if here == c.URL {
				b.WriteByte('=')
			}
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// hasPrefix reports whether the page at s is under the link prefix; the
// home page's link is under nothing, or every page would be.
func hasPrefix(s, prefix string) bool {
	return prefix != "/" && strings.HasPrefix(s, prefix)
}
