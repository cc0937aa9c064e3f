package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// stat is the median and range of one measure over a row's runs.
type stat struct{ med, lo, hi float64 }

// summarise takes the median (the mean of the middle two for an even count)
// and the range of one measure of the samples.
func summarise(ss []sample, of func(sample) float64) stat {
	if len(ss) == 0 {
		return stat{}
	}
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = of(s)
	}
	slices.Sort(v)
	n := len(v)
	return stat{med: (v[(n-1)/2] + v[n/2]) / 2, lo: v[0], hi: v[n-1]}
}

func wallOf(s sample) float64 { return s.wall.Seconds() }
func cpuOf(s sample) float64  { return s.cpu.Seconds() }
func peakOf(s sample) float64 { return float64(s.peak) }
func loadOf(s sample) float64 { return s.load }

// seconds and megabytes print a stat with its range, so a noisy row shows.
func seconds(s stat) string {
	return fmt.Sprintf("%.2f s (%.2f–%.2f)", s.med, s.lo, s.hi)
}

func megabytes(s stat) string {
	return fmt.Sprintf("%s (%.0f–%.0f)", mb(int64(s.med)), s.lo/1e6, s.hi/1e6)
}

// mb prints bytes as decimal megabytes, the unit of the targets.
func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/1e6) }

// line is one row of the table: kb's figure, Hugo's beside it when the row
// compares with Hugo, and the target.
type line struct {
	label      string
	kb, hugo   string
	cpu        string  // kb's and Hugo's processor time, for wall-time rows
	ratio      float64 // kb/Hugo; 0 when there is none
	target     string
	met        bool
	hasTarget  bool
	loadLo, hi float64
}

// Targets of issue 16, at 10,000 pages: kb's figure over Hugo's, or kb's own.
const (
	newWallRatio  = 0.75
	newPeakRatio  = 0.5
	keptWallRatio = 0.35
	editWall      = 1.5   // seconds
	previewLive   = 600e6 // bytes
	scaleWall     = 11.0  // 100k wall over 10k wall
	scalePeak     = 2.0   // 100k peak over 10k peak
)

// lines turns one corpus's outcome into table rows.
func lines(o *outcome) []line {
	hugoWall, hugoPeak := summarise(o.hugo, wallOf), summarise(o.hugo, peakOf)
	var ls []line
	vsHugo := func(label string, ss []sample, of func(sample) float64, hugo stat, limit float64, unit func(stat) string) {
		kb := summarise(ss, of)
		l := line{label: label, kb: unit(kb), target: fmt.Sprintf("≤ %.2f× Hugo", limit), hasTarget: len(o.hugo) > 0}
		if len(o.hugo) > 0 {
			l.hugo, l.ratio = unit(hugo), kb.med/hugo.med
			l.met = l.ratio <= limit
		}
		l.loadLo, l.hi = loadRange(ss, o.hugo)
		if label != "new index: peak memory" {
			l.cpu = cpuPair(ss, o.hugo)
		}
		ls = append(ls, l)
	}
	if ss, ok := o.kb[rowNew]; ok {
		vsHugo("new index: wall", ss, wallOf, hugoWall, newWallRatio, seconds)
		vsHugo("new index: peak memory", ss, peakOf, hugoPeak, newPeakRatio, megabytes)
	}
	if ss, ok := o.kb[rowKept]; ok {
		vsHugo("nothing changed, index kept: wall", ss, wallOf, hugoWall, keptWallRatio, seconds)
	}
	if ss, ok := o.kb[rowEdit]; ok {
		w := summarise(ss, wallOf)
		l := line{label: "one page edited, on disk: wall", kb: seconds(w), target: fmt.Sprintf("≤ %.1f s", editWall),
			met: w.med <= editWall, hasTarget: true}
		l.loadLo, l.hi = loadRange(ss, nil)
		l.cpu = cpuPair(ss, nil)
		ls = append(ls, l)
	}
	if len(o.preview) > 0 {
		h := summarise(o.preview, peakOf)
		l := line{label: "preview: live heap", kb: megabytes(h), target: "≤ " + mb(previewLive), met: h.med <= previewLive, hasTarget: true}
		l.loadLo, l.hi = loadRange(o.preview, nil)
		ls = append(ls, l)
	}
	return ls
}

// cpuPair prints kb's median processor time, and Hugo's when timed.
func cpuPair(kb, hugo []sample) string {
	s := fmt.Sprintf("%.1f s", summarise(kb, cpuOf).med)
	if len(hugo) > 0 {
		s += fmt.Sprintf(" / %.1f s", summarise(hugo, cpuOf).med)
	}
	return s
}

// loadRange is the lowest and highest load average any of the runs began at.
func loadRange(a, b []sample) (lo, hi float64) {
	all := append(slices.Clone(a), b...)
	s := summarise(all, loadOf)
	return s.lo, s.hi
}

// printCorpus writes one corpus's table.
func printCorpus(w io.Writer, o *outcome) {
	fmt.Fprintf(w, "\n%s: %d pages, median of %d runs (lowest–highest)\n", o.corpus.name, o.corpus.pages, o.corpus.runs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "row\tkb\tHugo\tkb/Hugo\ttarget (issue 16, at 10k)\tverdict\tCPU kb / Hugo\tload")
	for _, l := range lines(o) {
		ratio, verdict := "", ""
		if l.ratio > 0 {
			ratio = fmt.Sprintf("%.2f×", l.ratio)
		}
		if l.hasTarget {
			verdict = map[bool]string{true: "met", false: "NOT MET"}[l.met]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f–%.2f\n", l.label, l.kb, l.hugo, ratio, l.target, verdict, l.cpu, l.loadLo, l.hi)
	}
	tw.Flush()
	if o.hugoErr != nil {
		fmt.Fprintf(w, "Hugo: no figure: %v\n", o.hugoErr)
	}
	if o.previewErr != nil {
		fmt.Fprintf(w, "preview: no live heap figure: %v\n", o.previewErr)
	}
}

// printScaling compares each later corpus's new-index build with the
// first's: the 100,000-page row's targets are kb's own 10,000-page figures,
// taken in the same run. A GC setting other than kb's own policy is named
// after the builds it compares.
func printScaling(w io.Writer, base, o *outcome, setting string) {
	b, ok1 := base.kb[rowNew]
	s, ok2 := o.kb[rowNew]
	if !ok1 || !ok2 {
		return
	}
	wall := summarise(s, wallOf).med / summarise(b, wallOf).med
	peak := summarise(s, peakOf).med / summarise(b, peakOf).med
	verdict := map[bool]string{true: "met", false: "NOT MET"}
	builds := "new index"
	if setting != "" {
		builds += " under " + setting
	}
	fmt.Fprintf(w, "\n%s against %s, %s: wall %.2f× (target ≤ %.0f×: %s), peak memory %.2f× (target ≤ %.0f×: %s)\n",
		o.corpus.name, base.corpus.name, builds, wall, scaleWall, verdict[wall <= scaleWall], peak, scalePeak, verdict[peak <= scalePeak])
}

// printGC writes the GC settings' table.
func printGC(w io.Writer, c corpus, g *gcOutcome) {
	fmt.Fprintf(w, "\nkb build under each GC setting, %s (%d pages), median of %d runs (lowest–highest)\n", c.name, c.pages, c.runs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "setting\tnew index: wall\tCPU\tpeak memory\tindex kept: wall\tCPU\tpeak memory\tload")
	for _, set := range g.settings {
		name := set
		if name == "" {
			name = "kb's own policy"
		}
		lo, hi := loadRange(g.newIdx[set], g.kept[set])
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f–%.2f\n", name, gcCells(g.newIdx[set]), gcCells(g.kept[set]), lo, hi)
	}
	tw.Flush()
}

// gcCells prints one build's wall time, processor time and peak memory as
// three table cells, or dashes for a row not timed.
func gcCells(ss []sample) string {
	if len(ss) == 0 {
		return "—\t—\t—"
	}
	return fmt.Sprintf("%s\t%.1f s\t%s", seconds(summarise(ss, wallOf)), summarise(ss, cpuOf).med, megabytes(summarise(ss, peakOf)))
}

// header says what the figures were taken on, so a table pasted into an
// issue carries its conditions.
func header(w io.Writer, cfg *config, now time.Time) {
	fmt.Fprintf(w, "kbbench %s UTC: %d cores, %s memory available, load %.2f at start\n",
		now.UTC().Format("2006-01-02 15:04"), cfg.cores, mb(memInfo("MemAvailable")), loadAverage())
	fmt.Fprintf(w, "kb: %s; Hugo: %s\n", cfg.kbVersion, cfg.hugoVersion)
	fmt.Fprintln(w, "wall = elapsed time; CPU = user + system time (median); peak memory = the process's maximum resident set (getrusage); MB = 10^6 bytes;")
	fmt.Fprintln(w, "load = the 1-minute load average as runs began; GOGC and GOMEMLIMIT are cleared for both tools.")
}
