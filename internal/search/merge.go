package search

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// planKey is where scorch reads its merge plan's options in an index's
// configuration (as JSON field names of mergeplan.MergePlanOptions).
const planKey = "scorchMergePlanOptions"

// newIndexConfig is scorch's configuration for a new index written in
// batches of batch documents, each a segment: its merge plan (see
// mergeBatchesOnce).
//
// Bleve stores this configuration with the index, so reuse gives scorch's
// own plan back when a later build opens a copy.
func newIndexConfig(batch int) map[string]any {
	return map[string]any{planKey: mergeBatchesOnce(batch)}
}

// perMerge is how many segments scorch merges at once.
const perMerge = 10

// mergeBatchesOnce is a merge plan under which scorch merges the segments of a new
// index while the build writes them, ten at a time as they come, but never a
// segment it made: those wait for the final merge (mergeToOne), which takes
// them all at once. Scorch's own plan merged the merged segments again, and
// the final merge took ten at a time: at 100,000 pages the merges took
// 15–20 s of CPU against 10 s, the final one 20–28 s of the build's wall
// time against 6–10 s, and merges of large segments mapped up to 140 MB of
// their files mid-build against 85 MB (README, Performance).
//
// Leaving every segment to the final merge writes each document once, but
// costs more than it saves: scorch looks up each new batch's documents in
// every segment already made (to delete earlier versions), which grows with
// the square of their number (7.6 s at 100,000 pages, against 1.5 s), and
// each small segment file stays mapped whole (250 MB by the end).
//
// Options, as scorch reads them: a segment is merged only while under half
// of MaxSegmentSize documents, so one of perMerge batches or more never is;
// a floor of one document lets the tiers follow the batches' size, so
// scorch waits for about perMerge segments before merging them.
func mergeBatchesOnce(batch int) map[string]any {
	return map[string]any{
		"MaxSegmentSize":       2 * perMerge * batch,
		"FloorSegmentSize":     1,
		"SegmentsPerMergeTask": perMerge,
		"MaxSegmentsPerTier":   perMerge,
		"TierGrowth":           float64(perMerge),
	}
}

// updateConfig is the configuration a build opens a copy of an earlier
// index with: scorch's own merge plan (an empty set of options keeps all
// its defaults), which keeps the segments that small updates add few.
func updateConfig() map[string]any {
	return map[string]any{planKey: map[string]any{}}
}

// mergeToOne merges the index into one segment, which opens and searches
// fastest; the index never changes after. Scorch merges only segments
// already on disk, and the last batch can still be on its way there: merging
// before it arrives would leave it apart, and merging again would rewrite
// the whole index a second time. So it waits for the disk first.
func mergeToOne(bi bleve.Index) error { return mergeDown(bi, 1) }

// mostSegments bounds the segments a small update leaves: each adds one,
// and searching many segments is slower than searching one, so past this
// the update merges them all.
const mostSegments = 8

// smallUpdate reports whether indexing n pages into an index of total pages
// is small enough to leave as a segment of its own (see mergeDown): at
// 10,000 pages merging into one rewrites the whole index, most of what a
// one-page kb build costs. Segments answer alike, so results do not change.
func smallUpdate(n, total int) bool { return n*10 <= total }

// mergeSmall waits for the index to reach the disk, then merges its small
// segments (of fewer documents than perMerge batches) into one if it has
// more than most of them, and leaves the large ones, those scorch merged
// while a new index was written (see mergeBatchesOnce). At 100,000 pages,
// merging those ten into one more took 6–10 s of the build's wall time, all
// of it waited for, and mapped every segment file at once beside the
// build's heap: most of the build's peak memory above its render's.
// Searches read the segments side by side and answer the same.
func mergeSmall(bi bleve.Index, batch, most int) error {
	sc, ok := indexImpl(bi)
	if !ok {
		return nil
	}
	sizes, err := settled(bi)
	if err != nil {
		return err
	}
	limit := int64(perMerge * batch)
	small := 0
	for _, n := range sizes {
		if n < limit {
			small++
		}
	}
	if small <= most {
		return nil
	}
	o := allInOne(small)
	o.MaxSegmentSize = 2 * limit // scorch merges only segments under half of it
	return sc.ForceMerge(context.Background(), o)
}

// settled waits for the index to reach the disk and returns the live
// documents of each of its segments.
func settled(bi bleve.Index) ([]int64, error) {
	for try := range 50 {
		sizes, inMemory, err := liveSizes(bi)
		if err != nil || inMemory == 0 {
			return sizes, err
		}
		time.Sleep(time.Duration(min(try+1, 10)) * time.Millisecond)
	}
	return nil, nil // merging nothing leaves more segments, a little slower
}

// liveSizes lists the live documents of each segment of the index's current
// snapshot, and counts its segments still only in memory.
func liveSizes(bi bleve.Index) (sizes []int64, inMemory int, err error) {
	err = eachSegment(bi, func(ss *scorch.SegmentSnapshot) {
		if _, ok := ss.Segment().(segment.PersistedSegment); !ok {
			inMemory++
		}
		sizes = append(sizes, ss.LiveSize())
	})
	return sizes, inMemory, err
}

// eachSegment calls f with each segment of the index's current snapshot.
func eachSegment(bi bleve.Index, f func(*scorch.SegmentSnapshot)) error {
	adv, err := bi.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return fmt.Errorf("unexpected index reader %T", r)
	}
	for _, ss := range snap.Segments() {
		f(ss)
	}
	return nil
}

// mergeDown waits for the index to reach the disk, then merges it into one
// segment if it has more than most.
func mergeDown(bi bleve.Index, most int) error {
	sc, ok := indexImpl(bi)
	if !ok {
		return nil
	}
	for try := range 50 {
		files, inMemory, err := segments(bi)
		if err != nil {
			return err
		}
		if inMemory == 0 {
			if len(files) <= most {
				return nil
			}
			if err := sc.ForceMerge(context.Background(), allInOne(len(files))); err != nil {
				return err
			}
			most = 1
			continue
		}
		time.Sleep(time.Duration(min(try+1, 10)) * time.Millisecond)
	}
	return nil // several segments answer the same, a little slower
}

// allInOne is scorch's plan for merging into a single segment, but taking
// all n segments in one merge: its own takes ten at a time, so more than
// ten segments were merged into ten and those again into one.
func allInOne(n int) *mergeplan.MergePlanOptions {
	o := mergeplan.SingleSegmentMergePlanOptions
	o.SegmentsPerMergeTask = max(n, o.SegmentsPerMergeTask)
	o.MaxSegmentsPerTier = 1
	return &o
}

// segments lists the segment files the index's current snapshot uses, and
// counts its segments still only in memory.
func segments(bi bleve.Index) (files map[string]bool, inMemory int, err error) {
	files = map[string]bool{}
	err = eachSegment(bi, func(ss *scorch.SegmentSnapshot) {
		if ps, ok := ss.Segment().(segment.PersistedSegment); ok {
			files[filepath.Base(ps.Path())] = true
		} else {
			inMemory++
		}
	})
	return files, inMemory, err
}

// indexImpl finds the scorch index under bleve's wrapper, for force merging.
func indexImpl(bi bleve.Index) (*scorch.Scorch, bool) {
	adv, err := bi.Advanced()
	if err != nil {
		return nil, false
	}
	sc, ok := adv.(*scorch.Scorch)
	return sc, ok
}
