package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// previewHeap runs internal/serve's BenchmarkPreviewHeap on the corpus's
// copy, runs times, each in a fresh process (in one process a later run
// also counted what the earlier one left reachable), and returns the live
// heap of each run in bytes: the larger of its figures after the first
// build and after three edits. The preview is measured in-process because
// a live heap (what survives a collection) cannot be read from outside;
// the benchmark forces the collection and reads the runtime's own count.
func previewHeap(ctx context.Context, cfg *config, src string, runs int) ([]sample, error) {
	bin, err := filepath.Abs(filepath.Join(cfg.work, "serve.test"))
	if err != nil {
		return nil, err
	}
	build := exec.CommandContext(ctx, cfg.goCmd, "test", "-c", "-o", bin, "./internal/serve")
	build.Dir = cfg.repo
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go test -c ./internal/serve: %v\n%s", err, out)
	}
	var ss []sample
	for range runs {
		cmd := exec.CommandContext(ctx, bin, "-test.run", "^$", "-test.bench", "^BenchmarkPreviewHeap$",
			"-test.benchtime", "1x", "-test.timeout", "30m")
		cmd.Dir = filepath.Join(cfg.repo, "internal", "serve") // where go test runs a package's tests
		cmd.Env = append(cleanEnv(os.Environ()), "KB_CORPUS_10K="+src)
		s := sample{load: loadAverage()}
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			return ss, fmt.Errorf("BenchmarkPreviewHeap: %v\n%s", err, out)
		}
		heaps := benchMetric(string(out), "BenchmarkPreviewHeap", "live-MB", "live-MB-edited")
		if len(heaps) != 1 {
			return ss, fmt.Errorf("BenchmarkPreviewHeap printed no live-MB figure:\n%s", out)
		}
		s.peak, s.wall = int64(heaps[0]*1e6), time.Since(start)
		cfg.done("preview live heap", s)
		ss = append(ss, s)
	}
	return ss, nil
}

// benchMetric reads a Go benchmark's output and returns, for each result
// line of the benchmark named, the largest of the metrics named.
func benchMetric(out, name string, units ...string) []float64 {
	var vals []float64
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || (f[0] != name && !strings.HasPrefix(f[0], name+"-")) {
			continue
		}
		best, found := 0.0, false
		for i := 1; i+1 < len(f); i++ {
			for _, u := range units {
				if f[i+1] != u {
					continue
				}
				if v, err := strconv.ParseFloat(f[i], 64); err == nil {
					best, found = max(best, v), true
				}
			}
		}
		if found {
			vals = append(vals, best)
		}
	}
	return vals
}
