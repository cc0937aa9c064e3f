package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/search"
)

// multi is a repeatable string flag: --measure a --measure b.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("search", "[--measure SLUG]… [--type TYPE] [--json] QUERY", "Search the index that kb build wrote and print ranked results", stderr)
	source := fs.String("source", ".", "the knowledge base `folder` that was built")
	dir := fs.String("index", ".kb/index.bleve", "the search index `folder` that kb build wrote, inside SOURCE unless absolute")
	var measures, types, topics, orgs multi
	fs.Var(&measures, "measure", "only pages for this success measure `SLUG` (repeat for any of several)")
	fs.Var(&types, "type", "only items of this `TYPE`: blueprint, standard, template, case-study, guide (repeatable)")
	fs.Var(&topics, "topic", "only pages with this topic `SLUG` (repeatable)")
	fs.Var(&orgs, "organisation", "only pages about this organisation `SLUG` (repeatable)")
	page := fs.Int("page", 1, "which page of results")
	size := fs.Int("size", 10, "results a page, at most 50")
	sort := fs.String("sort", "relevance", "relevance or newest")
	asJSON := fs.Bool("json", false, "print the API's JSON answer instead of text")
	if code := parse(fs, interleave(fs, args)); code >= 0 {
		return code
	}
	v := url.Values{"q": {strings.Join(fs.Args(), " ")}, "measure": measures, "type": types,
		"topic": topics, "organisation": orgs, "page": {strconv.Itoa(*page)},
		"size": {strconv.Itoa(*size)}, "sort": {*sort}}
	req, err := search.ParseRequest(v)
	if err != nil {
		fmt.Fprintf(stderr, "kb search: %v\n", err)
		return 2
	}
	idx, err := search.Open(build.IndexPath(*source, *dir))
	if err != nil {
		fmt.Fprintf(stderr, "kb search: %v\n", err)
		return 1
	}
	defer idx.Close()
	res, err := idx.Search(ctx, req)
	var br *search.BadRequest
	if errors.As(err, &br) {
		fmt.Fprintf(stderr, "kb search: %v\n", err)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "kb search: %v\n", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(res)
		return 0
	}
	printResults(stdout, res)
	return 0
}

// interleave lets flags follow the query words (kb search EPR --measure x),
// which the flag package alone would take as more words.
func interleave(fs *flag.FlagSet, args []string) []string {
	var flagArgs, words []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			words = append(words, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			words = append(words, a)
			continue
		}
		flagArgs = append(flagArgs, a)
		name := strings.TrimLeft(a, "-")
		if f := fs.Lookup(name); f != nil && !strings.Contains(name, "=") && !isBool(f) && i+1 < len(args) {
			i++
			flagArgs = append(flagArgs, args[i])
		}
	}
	return append(append(flagArgs, "--"), words...)
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

var markTag = regexp.MustCompile(`</?mark>`)

// printResults prints one block a hit: rank and title, URL and measures, and
// the snippet as plain text with the matched words in *stars*.
func printResults(w io.Writer, res *search.Result) {
	if res.Suggestion != "" {
		fmt.Fprintf(w, "Did you mean %q?\n\n", res.Suggestion)
	}
	if res.Total == 0 {
		fmt.Fprintf(w, "No pages match %q.\n", res.Query)
		return
	}
	first := (res.Page-1)*res.Size + 1
	for i, h := range res.Results {
		fmt.Fprintf(w, "%d. %s\n   %s", first+i, h.Title, h.URL)
		if len(h.Measures) > 0 {
			names := make([]string, len(h.Measures))
			for j, m := range h.Measures {
				names[j] = m.Name
			}
			fmt.Fprintf(w, "  ·  %s", strings.Join(names, ", "))
		}
		snippet := html.UnescapeString(markTag.ReplaceAllString(h.Snippet, "*"))
		fmt.Fprintf(w, "\n   %s\n\n", strings.Join(strings.Fields(snippet), " "))
	}
	fmt.Fprintf(w, "%d of %d results (page %d of %d) in %.1f ms\n", len(res.Results), res.Total, res.Page, res.Pages, res.Took)
	if res.Partial {
		fmt.Fprintf(w, "Only the first %d words were searched for, or the search ran out of time: some pages may be missing.\n", search.MaxQueryWords)
	}
}
