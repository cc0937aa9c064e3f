package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nhsx/kb/internal/search"
)

// results.html is the results page's main part: the search form, the
// filters and the hits, in the NHS.UK design system's markup.
//
//go:embed results.html
var resultsFS embed.FS

// parseResults parses results.html with the few helpers it calls, which
// write dates and counts as the theme's layouts do.
func parseResults() *template.Template {
	return template.Must(template.New("results.html").Funcs(template.FuncMap{
		"date": func(t time.Time) string { return t.Format("2 January 2006") },
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return "1 " + one
			}
			return fmt.Sprintf("%d %s", n, many)
		},
	}).ParseFS(resultsFS, "results.html"))
}

// renderMain renders the results page's main part, for the frame's slot.
func renderMain(t *template.Template, v *PageView) (template.HTML, error) {
	var b bytes.Buffer
	err := t.ExecuteTemplate(&b, "main", v)
	return template.HTML(b.String()), err
}

// page renders the results page. Bad input still gets the page, with the
// problem shown in an error summary in words a reader understands (the API
// keeps the precise message), and status 400; a page past the last is a 404
// that says so and links to the last page.
func (h *handler) page(w http.ResponseWriter, raw url.Values, sr search.Request, res *search.Result, err error) {
	v := &PageView{Query: sr.Query, Sort: sr.Sort, Result: res}
	if sr.Size != search.DefaultSize {
		v.Size = sr.Size
	}
	status := http.StatusOK
	var br *search.BadRequest
	var busy *Busy
	switch {
	case errors.As(err, &br):
		status = http.StatusBadRequest
		v.Error, v.Param = readerMessage(br, raw), br.Param
	case errors.As(err, &busy):
		w.Header().Set("Retry-After", retryAfter)
		status, v.Error = http.StatusServiceUnavailable, busy.Message
	case err != nil:
		slog.Error("search failed", "err", err)
		status, v.Error = http.StatusServiceUnavailable, "Search is unavailable just now. Try again in a minute."
	}
	if res != nil && (err == nil || br != nil) {
		v.fill(sr, res)
		if v.PastEnd && status == http.StatusOK {
			status = http.StatusNotFound
		}
	}
	v.ErrorHref = v.errorHref()
	title := "Search"
	if sr.Query != "" && err == nil {
		title = "Search results for ‘" + sr.Query + "’"
	}
	main, rerr := renderMain(h.results, v)
	var body bytes.Buffer
	if rerr == nil {
		rerr = h.frame.Page(&body, title, main)
	}
	if rerr != nil {
		slog.Error("rendering search page", "err", rerr)
		http.Error(w, "the search page could not be shown", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if status == http.StatusOK {
		w.Header().Set("Cache-Control", h.cache)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body.Bytes())
}

// pageRetry is how the results page recovers from a bad parameter other than
// the query: it drops that parameter and searches again (at most once per
// parameter), so the reader sees the error and the results of the rest.
func (h *handler) pageRetry(req *http.Request, raw url.Values, first error) (*search.Result, search.Request, error) {
	var br *search.BadRequest
	v := url.Values{}
	for k, vals := range raw {
		v[k] = vals
	}
	err := first
	for range droppable {
		if !errors.As(err, &br) || !droppable[br.Param] || v[br.Param] == nil {
			break
		}
		v.Del(br.Param)
		var res *search.Result
		var sr search.Request
		res, sr, err = h.searchValues(req, v)
		if err == nil {
			return res, sr, first
		}
	}
	return nil, search.Request{Query: raw.Get("q"), Sort: search.SortRelevance, Page: 1, Size: search.DefaultSize}, first
}

// droppable are the parameters the results page can leave out and still
// search: everything but the words.
var droppable = map[string]bool{"measure": true, "type": true, "topic": true, "organisation": true, "page": true, "size": true, "sort": true}

// readerMessage says what is wrong with a request in the words of the results
// page, for someone who followed a link or typed a search, not for a developer.
func readerMessage(br *search.BadRequest, raw url.Values) string {
	switch br.Param {
	case "q":
		q := raw.Get("q")
		switch {
		case !utf8.ValidString(q):
			return "Your search has characters that cannot be read. Type your search again"
		case utf8.RuneCountInString(q) > search.MaxQueryLen:
			return "Your search must be " + strconv.Itoa(search.MaxQueryLen) + " characters or fewer. Shorten it and search again"
		case strings.Count(q, `"`)%2 == 1:
			return "Your search has an opening quote mark without a closing one. Add a closing quote mark after the phrase, or remove it"
		}
		return "Your search could not be read. Check it and search again"
	case "measure", "type", "topic", "organisation":
		names := filterNames[br.Param]
		return "We could not use the " + names + " in this search, so we left them out. Select " + names + " from the list"
	case "sort":
		return "Choose how to sort the results: best match or newest first. We have shown the best match first"
	case "page":
		return "That page of results does not exist, so we have shown the first page"
	case "size":
		return "That number of results on a page is not one we show, so we have shown " + strconv.Itoa(search.DefaultSize) + " a page"
	case "query":
		return "This search address is too long or cannot be read. Start a new search"
	}
	return "There is a problem with this search. Start a new search"
}

// filterNames are the filters as a reader calls them.
var filterNames = map[string]string{"measure": "success measures", "type": "types", "topic": "topics", "organisation": "organisations"}
