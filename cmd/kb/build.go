package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"time"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/linkcheck"
)

// flags makes a flag set whose --help names the command and its purpose.
func flags(name, args, help string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("kb "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: kb %s %s\n\n%s.\n\nOptions:\n", name, args, help)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags given before or after the positional arguments (Go's
// flag package alone stops at the first non-flag); "--" ends the flags. It
// returns the exit code to stop with, or -1 to go on.
func parse(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(interleave(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	return -1
}

// baseURL picks the site's base URL: the flag, else Netlify's URL variables
// (DEPLOY_PRIME_URL for previews, URL for production), else site.yaml (""),
// with where it came from for error messages.
func baseURL(flagValue string) (base, from string) {
	if flagValue != "" {
		return flagValue, "--base-url"
	}
	if os.Getenv("CONTEXT") != "production" && os.Getenv("DEPLOY_PRIME_URL") != "" {
		return os.Getenv("DEPLOY_PRIME_URL"), "the DEPLOY_PRIME_URL environment variable"
	}
	return os.Getenv("URL"), "the URL environment variable"
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("build", "[--source DIR] [--out DIR] [--drafts] [--base-url URL]", "Build the knowledge base into a static site", stderr)
	var opt build.Options
	fs.StringVar(&opt.Source, "source", ".", "the knowledge base `folder` (holding content/ and site.yaml)")
	fs.StringVar(&opt.Out, "out", "public", "the output `folder`; replaced only when the whole build succeeds")
	fs.StringVar(&opt.ThemeDir, "theme", "", "the theme `folder` (default SOURCE/themes/default)")
	fs.BoolVar(&opt.Drafts, "drafts", false, "include pages marked draft: true, each with a \"Draft: not published\" banner: for a preview build, never for the live site")
	fs.StringVar(&opt.IndexDir, "index", ".kb/index.bleve", "the search index `folder`, inside SOURCE unless absolute (not published); \"\" for none")
	fs.StringVar(&opt.Cache, "cache", ".kb/build", "the `folder` where a build keeps its records, inside SOURCE unless absolute, so that the next build after an edit rebuilds only what the edit reaches; \"\" for none (every build is whole)")
	base := fs.String("base-url", "", "the site's public `URL`, for canonical links, the feed and the sitemap (default $URL, then site.yaml)")
	profile := fs.String("cpuprofile", "", "write a CPU profile to `file` (for performance work)")
	memProfile := fs.String("memprofile", "", "write a profile of what the build allocated to `file` (for performance work)")
	function := fs.String("function", "", "also write the search function's bundle into `folder`: a copy of the index and the search page's frame (make netlify)")
	if code := parseNoArgs(fs, args); code >= 0 {
		return code
	}
	if *profile != "" {
		stop, err := startProfile(*profile)
		if err != nil {
			return report(stderr, err)
		}
		defer stop()
	}
	if *memProfile != "" {
		defer writeAllocs(*memProfile, stderr)
	}
	if code := pickBaseURL(&opt, *base, stderr); code >= 0 {
		return code
	}
	if *function != "" && opt.IndexDir == "" {
		fmt.Fprintln(stderr, `kb: --function needs the search index, which --index "" leaves out: give --index a folder, or leave it out`)
		return 2
	}
	defer setMemoryPolicy(buildGCPercent, buildHeadroom)()
	m, st, err := build.BuildContext(ctx, opt)
	if err != nil && ctx.Err() != nil {
		return stopped(ctx, stderr, opt.Out)
	}
	if err != nil {
		return report(stderr, err)
	}
	if *function != "" {
		if err := build.WriteFunction(m, *function); err != nil {
			return report(stderr, err)
		}
	}
	warn(stderr, m.Site.Warnings)
	if m.Config.BaseURL == "" {
		warn(stderr, diag.List{{Pos: diag.Pos{File: config.SettingsFile}, Msg: "no base_url, so no sitemap.xml or feed.xml (both need the site's full address): add base_url: https://… to site.yaml, or pass --base-url"}})
	}
	fmt.Fprintf(stdout, "kb: built %s into %s\n", st, opt.Out)
	return 0
}

// pickBaseURL sets opt.BaseURL from the flag or Netlify's variables, and
// refuses one that is not an absolute web address, naming where it came from.
func pickBaseURL(opt *build.Options, flagValue string, stderr io.Writer) int {
	var from string
	opt.BaseURL, from = baseURL(flagValue)
	if why := config.CheckBaseURL(opt.BaseURL); opt.BaseURL != "" && why != "" {
		fmt.Fprintf(stderr, "kb: %s\n", config.BaseURLError(from, opt.BaseURL, why))
		return 1
	}
	return -1
}

// startProfile writes a CPU profile until the returned function is called.
func startProfile(file string) (func(), error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// writeAllocs writes the heap profile, whose alloc_space view shows every
// byte the build allocated by where (runtime.MemProfileRate's sampling).
func writeAllocs(file string, stderr io.Writer) {
	f, err := os.Create(file)
	if err == nil {
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "kb: memory profile: %v\n", err)
	}
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("check", checkArgs, "Check all content and templates without writing anything", stderr)
	var opt build.Options
	fs.StringVar(&opt.Source, "source", ".", "the knowledge base `folder`")
	fs.StringVar(&opt.ThemeDir, "theme", "", "the theme `folder` (default SOURCE/themes/default)")
	fs.BoolVar(&opt.Drafts, "drafts", false, "check pages marked draft: true as if published")
	external := fs.Bool("external", false, "also check every source url and web link over the network (slow; never part of a build)")
	timeout := fs.Duration("timeout", linkcheck.DefaultTimeout, "with --external, how long to wait for each `answer`")
	base := fs.String("base-url", "", "check the site's public `URL` as kb build would take it (default $URL, then site.yaml)")
	if code := parseNoArgs(fs, args); code >= 0 {
		return code
	}
	if code := pickBaseURL(&opt, *base, stderr); code >= 0 {
		return code
	}
	defer setMemoryPolicy(buildGCPercent, buildHeadroom)()
	start := time.Now()
	m, err := build.Check(opt)
	if err != nil {
		return report(stderr, err)
	}
	warn(stderr, m.Site.Warnings)
	verdict := "no problems"
	if n := len(m.Site.Warnings); n > 0 {
		verdict = fmt.Sprintf("no errors, %d %s", n, plural(n, "warning", "warnings"))
	}
	fmt.Fprintf(stdout, "kb: checked %s in %s: %s\n", m.Count(), time.Since(start).Round(time.Millisecond), verdict)
	if *external {
		e := linkcheck.External{Timeout: *timeout, UserAgent: "kb-check-external (+" + m.Config.BaseURL + ")"}
		return checkExternal(ctx, m.Site, e, stdout, stderr)
	}
	return 0
}

// warn prints what does not stop a build, each marked as a warning.
// warn prints the warnings, buffered: a large site can have thousands, and
// a write each cost a build after a one-page edit a tenth of its time.
func warn(stderr io.Writer, list diag.List) {
	w := bufio.NewWriter(stderr)
	for _, d := range list {
		fmt.Fprintf(w, "%s: warning: %s\n", d.Pos, d.Message())
	}
	w.Flush()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// report prints every content error as path:line:col: message, then a count.
func report(stderr io.Writer, err error) int {
	var list diag.List
	if errors.As(err, &list) {
		for _, d := range list {
			fmt.Fprintln(stderr, d.Error())
		}
		fmt.Fprintf(stderr, "kb: %d %s found; nothing was written\n", len(list), plural(len(list), "problem", "problems"))
		return 1
	}
	fmt.Fprintf(stderr, "kb: %v\n", err)
	return 1
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("version", "", "Print kb's version", stderr)
	if code := parseNoArgs(fs, args); code >= 0 {
		return code
	}
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
	}
	fmt.Fprintf(stdout, "kb %s\n", v)
	return 0
}
