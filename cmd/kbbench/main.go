// Command kbbench times kb beside Hugo on the shared generated corpora, in
// one run, and prints issue 16's target rows: kb build with a new index
// (wall and peak memory), again with nothing changed, after a one-page
// edit on disk, the preview's live heap, each with Hugo's figure and the
// ratio beside it; with -gc, kb build under several GC settings instead.
//
// It is a Go program rather than a shell script so that peak memory comes
// from the kernel's accounting of each child (no GNU time needed), medians
// and verdicts are unit-tested, every run is checked for failure, and a
// tool that outgrows the machine is stopped at a memory cap instead of
// taking a shared machine down. make bench, bench-100k and bench-gc run it.
//
//	kbbench [flags] CORPUS[:RUNS]...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// config is what one kbbench run times and how.
type config struct {
	kb, theme, hugo, peer, work, repo, goCmd string
	rows, gc                                 []string
	preview                                  bool
	warmup                                   int // untimed kb builds before a corpus's rounds (see warmUp)
	rssCap                                   int64
	timeout                                  time.Duration
	noHugo                                   error // why Hugo is not timed
	cores                                    int
	kbVersion, hugoVersion                   string
	progress                                 func(format string, args ...any)
}

// done reports one finished run on the progress stream, so a long run
// can be watched (and its figures kept even if it is stopped).
func (cfg *config) done(what string, s sample) {
	cfg.progress("  %s: %.2f s, CPU %.1f s, %s, load %.2f", strings.TrimSpace(what), s.wall.Seconds(), s.cpu.Seconds(), mb(s.peak), s.load)
}

// job is a command under the run's memory cap and time limit.
func (cfg *config) job(args ...string) job {
	return job{args: args, rssCap: cfg.rssCap, timeout: cfg.timeout}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM) // stops the timed command too
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, corpora, code := parseArgs(args, stderr)
	if code >= 0 {
		return code
	}
	header(stdout, cfg, time.Now())
	if err := bench(ctx, cfg, corpora, stdout); err != nil {
		fmt.Fprintf(stderr, "kbbench: %v\n", err)
		return 1
	}
	return 0
}

// bench times every corpus and prints its table as soon as it is done, so
// a long run shows its figures as it goes.
func bench(ctx context.Context, cfg *config, corpora []corpus, w io.Writer) error {
	if len(cfg.gc) > 0 {
		return benchGC(ctx, cfg, corpora, w)
	}
	var first *outcome
	for i, c := range corpora {
		o, err := timeCorpus(ctx, cfg, c)
		if err != nil {
			return err
		}
		if i == 0 && cfg.preview {
			cfg.progress("%s: the preview's live heap", c.name)
			// A failure here loses only this row, not the rows timed already.
			o.preview, o.previewErr = previewHeap(ctx, cfg, filepath.Join(cfg.work, "kb-"+c.name), c.runs)
		}
		printCorpus(w, o)
		if first == nil {
			first = o
		} else {
			printScaling(w, first, o, "")
		}
	}
	return nil
}

// benchGC times every corpus under each GC setting and, for each later
// corpus, prints each setting's ratios to the first: beside kb's own
// policy, a setting under which the collector hardly runs shows how much of
// the 100,000-page ratio is the collector's (README, "100,000 pages").
func benchGC(ctx context.Context, cfg *config, corpora []corpus, w io.Writer) error {
	var first *gcOutcome
	for i, c := range corpora {
		g, err := timeGC(ctx, cfg, c)
		if err != nil {
			return err
		}
		printGC(w, c, g)
		if i == 0 {
			first = g
			continue
		}
		for _, set := range cfg.gc {
			printScaling(w, first.asOutcome(corpora[0], set), g.asOutcome(c, set), set)
		}
	}
	return nil
}

// parseArgs reads the flags; the exit code is -1 to go on.
func parseArgs(args []string, stderr io.Writer) (*config, []corpus, int) {
	cfg := &config{cores: runtime.NumCPU(), progress: func(f string, a ...any) { fmt.Fprintf(stderr, "kbbench: "+f+"\n", a...) }}
	fs := flag.NewFlagSet("kbbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: kbbench [flags] CORPUS[:RUNS]...  (CORPUS is gencorpus.py's --out; RUNS overrides -runs)")
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.kb, "kb", "bin/kb", "the kb `binary` to time")
	fs.StringVar(&cfg.theme, "theme", "themes/default", "the theme `folder` kb builds with")
	fs.StringVar(&cfg.hugo, "hugo", "hugo", "the Hugo `binary`; \"\" to time kb alone")
	fs.StringVar(&cfg.peer, "peer", "../shared/bench/hugo-peer.sh", "the `script` laying Hugo's site over a corpus")
	fs.StringVar(&cfg.work, "work", "/tmp/kb-bench", "the `folder` for copies, outputs and Hugo's sites")
	fs.StringVar(&cfg.repo, "repo", ".", "kb's source `folder`, for the preview's Go benchmark")
	fs.StringVar(&cfg.goCmd, "go", "go", "the go `command`")
	runs := fs.Int("runs", 3, "runs of each row; the median is printed")
	fs.IntVar(&cfg.warmup, "warmup", 2, "untimed kb builds (and one of Hugo's) before each corpus's timed runs, so that every timed build writes over an earlier one's output")
	rows := fs.String("rows", "new,kept,edit", "kb's `rows`: new (a new index), kept (nothing changed), edit (one page edited)")
	fs.BoolVar(&cfg.preview, "preview", false, "also measure the preview's live heap on the first corpus")
	fs.Func("gc", "time kb build (the new and kept of -rows) under this `setting` (\"GOGC=400 GOMEMLIMIT=2GiB\"; \"\" for kb's own policy) instead; repeat for more", func(s string) error {
		cfg.gc = append(cfg.gc, s)
		return nil
	})
	capMB := fs.Int64("rss-cap", memInfo("MemAvailable")*3/4/1e6, "stop any timed command whose memory passes this many `MB` (0: no cap)")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Minute, "stop any timed command running longer than `this`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, 0
		}
		return nil, nil, 2
	}
	cfg.rssCap, cfg.rows = *capMB*1e6, strings.Split(*rows, ",")
	corpora, err := check(cfg, fs.Args(), *runs)
	if err != nil {
		fmt.Fprintf(stderr, "kbbench: %v\n", err)
		return nil, nil, 2
	}
	return cfg, corpora, -1
}

// check validates the arguments and finds the tools' versions, deciding
// whether Hugo is timed.
func check(cfg *config, args []string, runs int) ([]corpus, error) {
	if len(args) == 0 {
		return nil, errors.New("name at least one corpus folder (make corpora makes /tmp/kb-bench/c1k and c10k)")
	}
	for _, r := range cfg.rows {
		if r != rowNew && r != rowKept && r != rowEdit {
			return nil, fmt.Errorf("-rows: unknown row %q: the rows are new, kept and edit", r)
		}
	}
	var corpora []corpus
	for _, a := range args {
		c, err := parseCorpus(a, runs)
		if err != nil {
			return nil, err
		}
		corpora = append(corpora, c)
	}
	var err error
	if cfg.kbVersion, err = version(cfg.kb, "version"); err != nil {
		return nil, fmt.Errorf("-kb %s: %v (make builds bin/kb)", cfg.kb, err)
	}
	if rev, err := version("git", "-C", cfg.repo, "describe", "--always", "--dirty"); err == nil {
		cfg.kbVersion += ", source " + rev
	}
	if cfg.hugo == "" {
		cfg.noHugo, cfg.hugoVersion = errors.New("not timed (-hugo \"\")"), "not timed"
	} else if cfg.hugoVersion, err = version(cfg.hugo, "version"); err != nil {
		cfg.noHugo, cfg.hugoVersion = fmt.Errorf("%s not found (apt-get install hugo)", cfg.hugo), "not installed"
	}
	return corpora, nil
}

// version runs a tool's version command and returns its first line.
func version(bin string, args ...string) (string, error) {
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		return "", err
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return first, nil
}

// splitEnv turns "GOGC=off GOMEMLIMIT=2GiB" into environment entries.
func splitEnv(set string) []string { return strings.Fields(set) }
