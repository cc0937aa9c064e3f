package site

import (
	"runtime"
	"sort"
	"sync"
)

// MaxRelated is how many related items a page shows.
const MaxRelated = 5

// relate picks each item's related items: those sharing the most topics, then
// the most measures. Candidates come from the topic and measure lists rather
// than from every pair, so the cost grows with overlap, not with pages squared.
func (s *Site) relate() {
	index := make(map[*Page]int, len(s.Items))
	for i, p := range s.Items {
		index[p] = i
	}
	var wg sync.WaitGroup
	jobs := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			score := make([]int, len(s.Items))
			for i := range jobs {
				s.Items[i].Related = s.related(i, index, score)
			}
		}()
	}
	for i := range s.Items {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

func (s *Site) related(i int, index map[*Page]int, score []int) []*Page {
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
			score[j] += shared(p.MeasureTerms, s.Items[j].MeasureTerms)
		}
	}
	sort.Slice(touched, func(a, b int) bool {
		x, y := touched[a], touched[b]
		if score[x] != score[y] {
			return score[x] > score[y]
		}
		return x < y
	})
	n := min(MaxRelated, len(touched))
	out := make([]*Page, n)
	for k := range n {
		out[k] = s.Items[touched[k]]
	}
	for _, j := range touched {
		score[j] = 0
	}
	return out
}

func shared(a, b []*Term) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			if x == y {
				n++
			}
		}
	}
	return n
}
