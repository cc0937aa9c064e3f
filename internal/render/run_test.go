package render

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// Once the build's context is done (Ctrl-C), the render starts no job: the
// workers finish what they hold, and every job left fails with the
// context's error instead of being rendered and written. Jobs after the
// tenth wait for the stop, so that none can finish before it is made.
func TestRunToStartsNoJobOnceStopped(t *testing.T) {
	const n, before = 1000, 10
	// Besides the first ten, each worker may hold one job that passed the
	// check before the stop was made.
	most := int32(before + 2*runtime.GOMAXPROCS(0))
	for round := range 20 {
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan struct{})
		var ran, put atomic.Int32
		jobs := make([]Job, n)
		for i := range jobs {
			jobs[i] = Job{Path: fmt.Sprintf("p%d/index.html", i), Run: func() ([]byte, error) {
				if ran.Add(1) > before {
					select {
					case <-stopped:
					case <-time.After(10 * time.Second):
						return nil, errors.New("the stop never came")
					}
				}
				return []byte("x"), nil
			}}
		}
		errs := RunTo(ctx, jobs, nil, func(i int, o Output) error {
			if put.Add(1) == before {
				cancel()
				close(stopped)
			}
			return nil
		})
		if got := ran.Load(); got > most {
			t.Errorf("round %d: %d of %d jobs ran, want at most %d (the first %d and those in flight)", round, got, n, most, before)
		}
		if len(errs) != 1 || errs[0].Message() != context.Canceled.Error() {
			t.Errorf("round %d: diagnostics %v, want the one stop", round, errs)
		}
	}
}

// A render whose context is done before it starts renders nothing.
func TestRunToStoppedBeforeRendersNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var ran atomic.Int32
	jobs := make([]Job, 100)
	for i := range jobs {
		jobs[i] = Job{Path: fmt.Sprint(i), Run: func() ([]byte, error) { ran.Add(1); return nil, nil }}
	}
	errs := RunTo(ctx, jobs, nil, func(int, Output) error { return nil })
	if ran.Load() != 0 || len(errs) != 1 || errs[0].Message() != context.Canceled.Error() {
		t.Errorf("%d jobs ran, diagnostics %v; want none, and the one stop", ran.Load(), errs)
	}
}

// A render that is not stopped runs every job once and puts each output
// under its own index.
func TestRunToPutsEveryOutputOnce(t *testing.T) {
	const n = 300
	jobs := make([]Job, n)
	for i := range jobs {
		body := fmt.Sprint(i)
		jobs[i] = Job{Path: body + "/index.html", Run: func() ([]byte, error) { return []byte(body), nil }}
	}
	seen := make([]atomic.Int32, n)
	errs := RunTo(context.Background(), jobs, nil, func(i int, o Output) error {
		if o.Path != jobs[i].Path || string(o.Data) != fmt.Sprint(i) {
			t.Errorf("output %d: %s %q", i, o.Path, o.Data)
		}
		seen[i].Add(1)
		return nil
	})
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	for i := range seen {
		if c := seen[i].Load(); c != 1 {
			t.Fatalf("output %d put %d times", i, c)
		}
	}
}
