package sim

import (
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

type itemKind uint8

const (
	itemTimer             itemKind = iota + 1 // a core's timer: inst, cc, gen
	itemLeafReady                             // a leaf run is ready: n, run
	itemLeafExit                              // a leaf run failed: n, run
	itemStopped                               // a stop is over: inst, cc, gen, timedOut
	itemGroupReady                            // a sub-core finished its start plan: inst
	itemGroupDone                             // a sub-core is done: inst
	itemGroupTimeout                          // a sub-core's stop outlasted its timeout: inst
	itemExitStopped                           // the Stop after a leaf's failure is over: n, run, timedOut
	itemAbandonedReturned                     // the Run of an abandoned run returned: inst, cc, gen
	itemLeafReturned                          // the Run of a leaf's abandoned run returned: n, run
	itemProbe                                 // a probe the core asked for is over: inst, cc, gen
)

// item is one scheduled event. Items are values in the queue's slice, so
// scheduling allocates nothing once the slice has grown.
type item struct {
	at       time.Duration
	seq      uint64
	kind     itemKind
	timedOut bool
	gen      uint64 // core generation or timer sequence, or leaf run id
	n        *node
	inst     *inst
	cc       *core.Child
}

// queue is a binary min-heap of items by (at, seq): events at the same
// time are handled in the order they were scheduled. It is written out
// rather than built on container/heap, whose interface boxes every item.
type queue struct {
	items []item
	seq   uint64
}

func (q *queue) push(it item) {
	q.seq++
	it.seq = q.seq
	q.items = append(q.items, it)
	i := len(q.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !q.less(i, p) {
			break
		}
		q.items[i], q.items[p] = q.items[p], q.items[i]
		i = p
	}
}

func (q *queue) less(i, j int) bool {
	a, b := &q.items[i], &q.items[j]
	return a.at < b.at || a.at == b.at && a.seq < b.seq
}

func (q *queue) peek() *item { return &q.items[0] }

func (q *queue) pop() item {
	top := q.items[0]
	n := len(q.items) - 1
	q.items[0] = q.items[n]
	q.items[n] = item{}
	q.items = q.items[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && q.less(r, l) {
			m = r
		}
		if !q.less(m, i) {
			break
		}
		q.items[i], q.items[m] = q.items[m], q.items[i]
		i = m
	}
	return top
}
