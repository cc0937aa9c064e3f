package serve

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"path"
	"strings"

	"github.com/nhsx/kb/internal/render"
)

// draftNotFound answers a URL that belongs to a draft the preview hides
// (kb serve --drafts=false) with a 404 that says so, instead of a bare
// "page not found". It reports whether it answered.
func (s *Server) draftNotFound(w http.ResponseWriter, r *http.Request, outs map[string]render.Output, version int) bool {
	s.mu.RLock()
	m := s.st.model
	s.mu.RUnlock()
	if m == nil {
		return false
	}
	url := path.Clean("/"+r.URL.Path) + "/"
	if url == "//" {
		url = "/"
	}
	source, ok := m.Site.DraftAt(url)
	if !ok {
		return false
	}
	note := fmt.Sprintf(`<div class="nhsuk-warning-callout kb-draft-hidden">
<h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>This page is a draft</span></h2>
<p>This page is a draft: %s has <code>draft: true</code> in its front matter, and this preview hides drafts. Start kb serve with --drafts to see it, or remove the draft line to publish it.</p>
</div>
`, html.EscapeString(source))
	nf, ok := outs["404.html"]
	if i := bytes.Index(nf.Data, []byte("</h1>")); ok && nf.File == "" && i >= 0 {
		i += len("</h1>")
		data := append(append(append([]byte{}, nf.Data[:i]...), note...), nf.Data[i:]...)
		s.serveOutput(w, r, render.Output{Path: nf.Path, Data: data}, version, http.StatusNotFound)
		return true
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Draft: not shown</title></head><body><h1>Page not found</h1>\n%s</body></html>\n", strings.TrimSpace(note))
	return true
}
