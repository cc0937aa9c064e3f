package main

import (
	"bytes"
	"errors"
	"regexp"
	"testing"
	"time"
)

func TestSummarise(t *testing.T) {
	walls := func(ds ...float64) []sample {
		var ss []sample
		for _, d := range ds {
			ss = append(ss, sample{wall: time.Duration(d * float64(time.Second))})
		}
		return ss
	}
	for _, tc := range []struct {
		in   []sample
		want stat
	}{
		{walls(3, 1, 2), stat{2, 1, 3}},
		{walls(4, 1, 3, 2), stat{2.5, 1, 4}},
		{walls(7), stat{7, 7, 7}},
		{nil, stat{}},
	} {
		if got := summarise(tc.in, wallOf); got != tc.want {
			t.Errorf("summarise(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestVerdicts checks each row's ratio and verdict against issue 16's
// targets, on either side of each limit.
func TestVerdicts(t *testing.T) {
	s := func(wall float64, peak int64) []sample {
		return []sample{{wall: time.Duration(wall * float64(time.Second)), cpu: time.Duration(wall * 1.5 * float64(time.Second)), peak: peak, load: 2}}
	}
	o := &outcome{corpus: corpus{name: "c10k", pages: 10000, runs: 1},
		hugo: s(20, 2000e6),
		kb: map[string][]sample{
			rowNew:  s(15, 1001e6), // 0.75× wall: met; 0.5005× peak: not
			rowKept: s(7.1, 900e6), // 0.355×: not met
			rowEdit: s(1.5, 900e6), // met
		},
		preview: []sample{{peak: 601e6}},
	}
	var b bytes.Buffer
	printCorpus(&b, o)
	for _, want := range []string{
		`(?m)^new index: wall +15\.00 s \(15\.00–15\.00\) +20\.00 s \(20\.00–20\.00\) +0\.75× +≤ 0\.75× Hugo +met +22\.5 s / 30\.0 s +2\.00–2\.00$`,
		`(?m)^new index: peak memory +1001 MB \(1001–1001\) +2000 MB \(2000–2000\) +0\.50× +≤ 0\.50× Hugo +NOT MET +2\.00–2\.00$`,
		`(?m)^nothing changed, index kept: wall +7\.10 s .* 0\.35× +≤ 0\.35× Hugo +NOT MET `,
		`(?m)^one page edited, on disk: wall +1\.50 s \(1\.50–1\.50\) +≤ 1\.5 s +met +2\.2 s +2\.00–2\.00$`,
		`(?m)^preview: live heap +601 MB \(601–601\) +≤ 600 MB +NOT MET `,
	} {
		if !regexp.MustCompile(want).MatchString(b.String()) {
			t.Errorf("no line matching %s in\n%s", want, b.String())
		}
	}
}

func TestScaling(t *testing.T) {
	one := func(wall float64, peak int64) map[string][]sample {
		return map[string][]sample{rowNew: {{wall: time.Duration(wall * float64(time.Second)), peak: peak}}}
	}
	base := &outcome{corpus: corpus{name: "c10k"}, kb: one(10, 1000e6)}
	big := &outcome{corpus: corpus{name: "c100k"}, kb: one(111, 1900e6)}
	var b bytes.Buffer
	printScaling(&b, base, big, "")
	want := "\nc100k against c10k, new index: wall 11.10× (target ≤ 11×: NOT MET), peak memory 1.90× (target ≤ 2×: met)\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	b.Reset()
	printScaling(&b, base, big, "GOGC=800 GOMEMLIMIT=12GiB")
	want = "\nc100k against c10k, new index under GOGC=800 GOMEMLIMIT=12GiB: wall 11.10× (target ≤ 11×: NOT MET), peak memory 1.90× (target ≤ 2×: met)\n"
	if b.String() != want {
		t.Errorf("under a setting: got %q, want %q", b.String(), want)
	}
}

func TestBenchMetric(t *testing.T) {
	out := `goos: linux
BenchmarkPreviewHeap-2   	       1	20123456789 ns/op	       812.5 live-MB	       830.1 live-MB-edited
BenchmarkPreviewHeap-2   	       1	20123456789 ns/op	       640.0 live-MB	       600.0 live-MB-edited
BenchmarkPreviewHeapOther-2 1 1 ns/op 9999 live-MB
PASS
`
	got := benchMetric(out, "BenchmarkPreviewHeap", "live-MB", "live-MB-edited")
	if len(got) != 2 || got[0] != 830.1 || got[1] != 640 {
		t.Errorf("benchMetric = %v, want [830.1 640]", got)
	}
}

// TestPrintGC: a setting's row shows its figures, kb's own policy is named
// so, and a kept column not asked for shows a dash rather than zeros.
func TestPrintGC(t *testing.T) {
	s := func(wall float64, peak int64) []sample {
		return []sample{{wall: time.Duration(wall * float64(time.Second)), cpu: 2 * time.Duration(wall*float64(time.Second)), peak: peak, load: 1.5}}
	}
	g := &gcOutcome{settings: []string{"", "GOGC=400"},
		newIdx: map[string][]sample{"": s(12, 2000e6), "GOGC=400": s(10, 3000e6)},
		kept:   map[string][]sample{"": s(6, 1500e6)}}
	var b bytes.Buffer
	printGC(&b, corpus{name: "c10k", pages: 10000, runs: 1}, g)
	for _, want := range []string{
		`(?m)^kb's own policy +12\.00 s \(12\.00–12\.00\) +24\.0 s +2000 MB \(2000–2000\) +6\.00 s \(6\.00–6\.00\) +12\.0 s +1500 MB \(1500–1500\) +1\.50–1\.50$`,
		`(?m)^GOGC=400 +10\.00 s \(10\.00–10\.00\) +20\.0 s +3000 MB \(3000–3000\) +— +— +— +1\.50–1\.50$`,
	} {
		if !regexp.MustCompile(want).MatchString(b.String()) {
			t.Errorf("no line matching %s in\n%s", want, b.String())
		}
	}
}

// TestMissingFigures: a tool or preview without figures says why, under
// the rows that were timed.
func TestMissingFigures(t *testing.T) {
	o := &outcome{corpus: corpus{name: "c10k", pages: 10000, runs: 1},
		kb:         map[string][]sample{rowNew: {{wall: time.Second, peak: 1e9}}},
		hugoErr:    errors.New("hugo not found (apt-get install hugo)"),
		previewErr: errors.New("go test ./internal/serve: exit status 1"),
	}
	var b bytes.Buffer
	printCorpus(&b, o)
	for _, want := range []string{
		`(?m)^new index: wall +1\.00 s \(1\.00–1\.00\) +≤ 0\.75× Hugo +0\.0 s +0\.00–0\.00$`,
		`(?m)^Hugo: no figure: hugo not found \(apt-get install hugo\)$`,
		`(?m)^preview: no live heap figure: go test ./internal/serve: exit status 1$`,
	} {
		if !regexp.MustCompile(want).MatchString(b.String()) {
			t.Errorf("no line matching %s in\n%s", want, b.String())
		}
	}
}
