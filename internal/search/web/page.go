package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nhsx/kb/internal/render"
)

// page renders the results page. Bad input still gets the page, with the
// problem shown in an error summary in words a reader understands (the API
// keeps the precise message), and status 400; a page past the last is a 404
// that says so and links to the last page.
func (h *handler) page(w http.ResponseWriter, raw url.Values, sr Request, res *Result, err error) {
	v := &PageView{Query: sr.Query, Sort: sr.Sort, Result: res}
	if sr.Size != DefaultSize {
		v.Size = sr.Size
	}
	status := http.StatusOK
	var br *BadRequest
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
		v.fill(sr, res, h.idx)
		if v.PastEnd && status == http.StatusOK {
			status = http.StatusNotFound
		}
	}
	v.ErrorHref = v.errorHref()
	title := "Search"
	if sr.Query != "" && err == nil {
		title = "Search results for ‘" + sr.Query + "’"
	}
	body, rerr := h.r.Page(&render.View{Layout: "search", Title: title, URL: PagePath, Search: v,
		Description: "Search the knowledge base by words, success measure and type of item."})
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
	_, _ = w.Write(body)
}

// pageRetry is how the results page recovers from a bad parameter other than
// the query: it drops that parameter and searches again (at most once per
// parameter), so the reader sees the error and the results of the rest.
func (h *handler) pageRetry(req *http.Request, raw url.Values, first error) (*Result, Request, error) {
	var br *BadRequest
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
		var res *Result
		var sr Request
		res, sr, err = h.searchValues(req, v)
		if err == nil {
			return res, sr, first
		}
	}
	return nil, Request{Query: raw.Get("q"), Sort: SortRelevance, Page: 1, Size: DefaultSize}, first
}

// droppable are the parameters the results page can leave out and still
// search: everything but the words.
var droppable = map[string]bool{"measure": true, "type": true, "topic": true, "organisation": true, "page": true, "size": true, "sort": true}

// readerMessage says what is wrong with a request in the words of the results
// page, for someone who followed a link or typed a search, not for a developer.
func readerMessage(br *BadRequest, raw url.Values) string {
	switch br.Param {
	case "q":
		q := raw.Get("q")
		switch {
		case !utf8.ValidString(q):
			return "Your search has characters that cannot be read. Type your search again"
		case utf8.RuneCountInString(q) > MaxQueryLen:
			return "Your search must be " + strconv.Itoa(MaxQueryLen) + " characters or fewer. Shorten it and search again"
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
		return "That number of results on a page is not one we show, so we have shown " + strconv.Itoa(DefaultSize) + " a page"
	case "query":
		return "This search address is too long or cannot be read. Start a new search"
	}
	return "There is a problem with this search. Start a new search"
}

// filterNames are the filters as a reader calls them.
var filterNames = map[string]string{"measure": "success measures", "type": "types", "topic": "topics", "organisation": "organisations"}
