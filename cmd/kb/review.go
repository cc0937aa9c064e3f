package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/review"
)

const reviewArgs = "[--source DIR] [--due-within 90d] [--format table|csv|json]"

// runReview prints the editor's report. It exits 0 whatever is overdue: it is
// a report to act on, not a check (kb check warns about overdue pages).
func runReview(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("review", reviewArgs, "List every page by the date its review is due, overdue first, with its owner, last review and when its sources were read", stderr)
	var opt build.Options
	fs.StringVar(&opt.Source, "source", ".", "the knowledge base `folder`")
	fs.StringVar(&opt.ThemeDir, "theme", "", "the theme `folder` (default SOURCE/themes/default)")
	fs.BoolVar(&opt.Drafts, "drafts", false, "include pages marked draft: true")
	within := fs.String("due-within", "", "list only pages overdue or due within this `period`, in days or weeks, such as 90d or 12w")
	format := fs.String("format", "table", "the output `format`: "+strings.Join(review.Formats, ", "))
	todayFlag := fs.String("today", "", "the `date` (YYYY-MM-DD) to count from; default today")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if !slices.Contains(review.Formats, *format) {
		fmt.Fprintf(stderr, "kb review: unknown format %q: use one of %s\n", *format, strings.Join(review.Formats, ", "))
		return 2
	}
	period, err := parsePeriod(*within)
	if err != nil {
		fmt.Fprintf(stderr, "kb review: --due-within %v\n", err)
		return 2
	}
	today := time.Now()
	if *todayFlag != "" {
		if today, err = time.Parse(time.DateOnly, *todayFlag); err != nil {
			fmt.Fprintf(stderr, "kb review: --today %q is not a date: write it as YYYY-MM-DD\n", *todayFlag)
			return 2
		}
	}
	m, err := build.Load(opt)
	if err != nil {
		return report(stderr, err)
	}
	if err := review.Write(stdout, *format, today, review.Report(m.Site, today, period)); err != nil {
		fmt.Fprintf(stderr, "kb review: %v\n", err)
		return 1
	}
	return 0
}

var periodForm = regexp.MustCompile(`^(\d+)\s*([dw])$`)

// parsePeriod reads a number of days (90d) or weeks (12w); "" is no limit.
func parsePeriod(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	m := periodForm.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return 0, fmt.Errorf("%q is not a period: give days or weeks, such as 90d or 12w", s)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n > 36500 {
		return 0, fmt.Errorf("%q is too long: give at most 36500d", s)
	}
	if m[2] == "w" {
		n *= 7
	}
	return time.Duration(n) * 24 * time.Hour, nil
}
