package site

import (
	"math/bits"
	"runtime"
	"sync"

	"github.com/nhsx/kb/internal/wgll"
)

// MaxRelated is how many related items a page shows.
const MaxRelated = 5

// relate picks each item's related items: those sharing the most topics, then
// the most measures. Candidates come from the topic and measure lists rather
// than from every pair, so the cost grows with overlap, not with pages squared.
func (s *Site) relate() {
	index := make(map[*Page]int, len(s.Items))
	masks := make([]uint8, len(s.Items))
	for i, p := range s.Items {
		index[p] = i
		for _, m := range p.MeasureTerms {
			masks[i] |= 1 << wgll.Index(m.Slug)
		}
	}
	var wg sync.WaitGroup
	jobs := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			score := make([]int, len(s.Items))
			for i := range jobs {
				s.Items[i].Related = s.related(i, index, masks, score)
			}
		}()
	}
	for i := range s.Items {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

func (s *Site) related(i int, index map[*Page]int, masks []uint8, score []int) []*Page {
	p := s.Items[i]
	var touched []int
	add := func(ts []*Term, weight int) {
		for _, t := range ts {
			for _, q := range t.Pages {
				j := index[q]
				if j == i {
					continue
				}
				if score[j] == 0 {
					touched = append(touched, j)
				}
				score[j] += weight
			}
		}
	}
	add(p.TopicTerms, 4)
	add(p.OrgTerms, 2)
	if len(touched) < MaxRelated || len(touched) < 200 {
		add(p.MeasureTerms, 1)
	} else {
		// Add measure overlap only to pages already in the running.
		for _, j := range touched {
			score[j] += bits.OnesCount8(masks[i] & masks[j])
		}
	}
	out := top(touched, score, MaxRelated, s.Items)
	for _, j := range touched {
		score[j] = 0
	}
	return out
}

// top picks the k best-scored candidates, ties to the earlier item, with one
// pass and a k-long insertion list: sorting thousands of candidates per page
// was the slowest step of a 10,000-page build.
func top(cands []int, score []int, k int, items []*Page) []*Page {
	best := make([]int, 0, k+1)
	better := func(x, y int) bool { return score[x] > score[y] || score[x] == score[y] && x < y }
	for _, c := range cands {
		if len(best) == k && !better(c, best[k-1]) {
			continue
		}
		i := len(best)
		best = append(best, c)
		for ; i > 0 && better(c, best[i-1]); i-- {
			best[i] = best[i-1]
		}
		best[i] = c
		if len(best) > k {
			best = best[:k]
		}
	}
	out := make([]*Page, len(best))
	for i, j := range best {
		out[i] = items[j]
	}
	return out
}
