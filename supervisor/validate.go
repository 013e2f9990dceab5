package supervisor

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Validate checks the supervisor's config and children, and those of
// every child supervisor below it, and returns a [*ConfigError] listing
// every problem by path, or nil. Run calls it before starting anything.
func (s *Supervisor) Validate() error {
	var problems []string
	if strings.Contains(s.name, "/") {
		problems = append(problems, s.name+": name: "+slashInName(s.name))
	}
	s.validate(s.name, &problems, make(map[any]enginePath, s.treeSize(maxSizedDepth)))
	if len(problems) > 0 {
		return &ConfigError{Problems: problems}
	}
	return nil
}

// maxSizedDepth bounds the walk that sizes Validate's map: it also ends
// the walk of a tree in which a supervisor appears below itself, which
// validate reports.
const maxSizedDepth = 64

// treeSize counts s and the children below it, down to depth levels.
func (s *Supervisor) treeSize(depth int) int {
	n := 1 + len(s.children)
	if depth == 0 {
		return n
	}
	for i := range s.children {
		if sub, ok := s.children[i].Engine.(*Supervisor); ok {
			n += sub.treeSize(depth - 1)
		}
	}
	return n
}

// smallSet is the number of children up to which duplicate names are
// found by comparing each with those before it: cheaper than making a map.
const smallSet = 16

// enginePath is where validate met an engine value: the path of its
// supervisor and the child's name, joined only for a problem.
type enginePath struct{ dir, name string }

func (p enginePath) String() string {
	if p.name == "" {
		return p.dir
	}
	return p.dir + "/" + p.name
}

// validate checks s and the tree below it. seen holds, by path, each
// engine value met so far that can be told apart by identity (a pointer):
// one value under two children would be Run twice at once. Nothing is
// formatted for a child without a problem, as Run validates every child
// of a tree of any size before it starts.
func (s *Supervisor) validate(path string, problems *[]string, seen map[any]enginePath) {
	add := func(format string, args ...any) {
		*problems = append(*problems, path+": "+fmt.Sprintf(format, args...))
	}
	if _, ok := seen[s]; ok {
		add("the supervisor appears twice in the tree")
		return
	}
	seen[s] = enginePath{dir: path}
	cfg, children := s.spec()
	if cfg.Strategy > RestForOne {
		add("Strategy: unknown strategy %d", cfg.Strategy)
	}
	if cfg.AutoShutdown > AllSignificant {
		add("AutoShutdown: unknown value %d", cfg.AutoShutdown)
	}
	if cfg.Period < 0 {
		add("Period: %v is negative; want a positive window", cfg.Period)
	}
	validateBackoff(cfg.Backoff, "Backoff", add)
	var names map[string]bool
	if len(children) > smallSet {
		names = make(map[string]bool, len(children))
	}
	for i := range children {
		ch := &children[i]
		where := ch.Name
		if where == "" {
			where = "children[" + strconv.Itoa(i) + "]"
		}
		if err := validateChild(*ch, where); err != nil {
			for _, p := range err.(*ConfigError).Problems {
				add("%s", p)
			}
		}
		if ch.Name != "" && nameSeen(children, i, names) {
			add("%s: duplicate child name", where)
		}
		if sub, ok := ch.Engine.(*Supervisor); ok {
			sub.validate(path+"/"+ch.Name, problems, seen)
		} else if isPointer(ch.Engine) {
			if first, ok := seen[ch.Engine]; ok {
				add("%s: Engine: the same engine value is %s's too; one value is never Run twice at once, so give each child its own (or use New)", where, first)
			} else {
				seen[ch.Engine] = enginePath{dir: path, name: ch.Name}
			}
		}
	}
}

// nameSeen reports whether child i's name is a name before it, and
// records it in names, which is nil for a small set of children.
func nameSeen(children []Child, i int, names map[string]bool) bool {
	name := children[i].Name
	if names != nil {
		seen := names[name]
		names[name] = true
		return seen
	}
	for j := range i {
		if children[j].Name == name {
			return true
		}
	}
	return false
}

func isPointer(e any) bool {
	return e != nil && reflect.TypeOf(e).Kind() == reflect.Pointer
}

// validateChild checks one child spec.
func validateChild(ch Child, where string) error {
	var problems []string
	add := func(format string, args ...any) {
		problems = append(problems, where+": "+fmt.Sprintf(format, args...))
	}
	switch {
	case ch.Name == "":
		add("Name is empty")
	case strings.Contains(ch.Name, "/"):
		add("Name: %s", slashInName(ch.Name))
	}
	switch {
	case ch.Engine == nil && ch.New == nil:
		add("Engine is nil")
	case ch.Engine != nil && ch.New != nil:
		add("Engine and New are both set; set one: New makes a fresh engine for every run")
	}
	if ch.Restart > Temporary {
		add("Restart: unknown restart type %d", ch.Restart)
	}
	if ch.Significant && ch.Restart == Permanent {
		add("Significant: a permanent child cannot be significant (it never ends for good); make it transient or temporary")
	}
	validateBackoff(ch.Backoff, "Backoff", add)
	validateLiveness(ch, add)
	if len(problems) > 0 {
		return &ConfigError{Problems: problems}
	}
	return nil
}

// slashInName is worded as supervise's file loader words it, so that the
// same mistake reads the same in a program and in a file.
func slashInName(name string) string {
	return fmt.Sprintf(`found %q, expected a name without "/", which separates the names in a path`, name)
}

func validateBackoff(b Backoff, where string, add func(string, ...any)) {
	if b.Multiplier != 0 && b.Multiplier < 1 {
		add("%s.Multiplier: %v shrinks the delay; want at least 1 (or 0 for the default)", where, b.Multiplier)
	}
	if b.Jitter >= 1 {
		add("%s.Jitter: %v; want a fraction below 1", where, b.Jitter)
	}
	if b.Initial > 0 && b.Max > 0 && b.Initial > b.Max {
		add("%s: Initial %v is above Max %v", where, b.Initial, b.Max)
	}
}
