package soak

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/arborgo/arbor/supervisor"
)

// fanout is the tree's shape: the root has fanout[0] groups, each of
// those fanout[1] groups, each of those fanout[2] leaf engines.
var fanout = [3]int{10, 10, 10}

// intensity per depth: the deepest groups give up now and then, so that
// their parents restart whole subtrees; the root should not.
var intensity = [3]int{200, 40, 5}

var backoff = supervisor.Backoff{Initial: 5 * time.Millisecond, Max: 100 * time.Millisecond, ResetAfter: time.Second}

var strategies = []supervisor.Strategy{supervisor.OneForOne, supervisor.OneForAll, supervisor.RestForOne}

// build makes the tree from rng and returns the root and the shutdown
// timeout its parent would give it: the sum of its children's, plus a
// second, as for any child supervisor.
func (s *soak) build(rng *rand.Rand) (*supervisor.Supervisor, time.Duration) {
	return s.group(rng, "root", 0)
}

func (s *soak) group(rng *rand.Rand, path string, depth int) (*supervisor.Supervisor, time.Duration) {
	st := strategies[rng.IntN(len(strategies))]
	w := newWatch(s, path, st)
	var kids []supervisor.Child
	var bound time.Duration
	for i := range fanout[depth] {
		var c supervisor.Child
		var b time.Duration
		if depth+1 < len(fanout) {
			c.Name = fmt.Sprintf("%c%d", 'g'+depth, i)
			c.Engine, b = s.group(rng, path+"/"+c.Name, depth+1)
			c.Restart = pick(rng, 0.8, 0.2)
			w.bound[c.Name] = b
		} else {
			c.Name = fmt.Sprintf("w%d", i)
			c, b = s.leaf(rng, path, c.Name)
		}
		w.index[c.Name] = i
		kids = append(kids, c)
		bound += b
	}
	cfg := supervisor.Config{Strategy: st, Intensity: intensity[depth], Period: time.Second,
		Backoff: backoff, OnEvent: w.on, Seed: rng.Uint64()}
	sup := supervisor.New(pathBase(path), cfg, kids...)
	s.sups = append(s.sups, sup)
	s.watches[path] = w
	return sup, bound + time.Second
}

func (s *soak) leaf(rng *rand.Rand, parent, name string) (supervisor.Child, time.Duration) {
	e := &chaos{path: parent + "/" + name, readies: rng.IntN(2) == 0, s: s, stopsSinceRun: -1,
		rng: rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))}
	s.engines = append(s.engines, e)
	c := supervisor.Child{Name: name, Engine: e, Restart: pick(rng, 0.7, 0.2),
		Shutdown: between(rng, 10*time.Millisecond, 100*time.Millisecond)}
	if e.readies {
		c.StartTimeout = s.mix.startTimeout
	}
	return c, c.Shutdown
}

// pick draws a restart type: permanent with probability p, transient
// with t, temporary otherwise.
func pick(rng *rand.Rand, p, t float64) supervisor.Restart {
	switch x := rng.Float64(); {
	case x < p:
		return supervisor.Permanent
	case x < p+t:
		return supervisor.Transient
	}
	return supervisor.Temporary
}

func pathBase(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}
