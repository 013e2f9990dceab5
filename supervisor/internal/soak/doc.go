// Package soak holds a chaos soak of the supervisor: about a thousand
// engines nested three levels deep fail, panic, hang, stop slowly and get
// ready late, from a seeded PRNG, while the test checks the supervisor's
// promises as it runs (one Run at a time per engine, each followed by one
// Stop; reverse start order at every shutdown; bounded shutdowns; no
// goroutines left but the hung ones; snapshots that answer while the tree
// churns; a flat heap) and reports every violation by kind, with a count
// and an example.
//
// The package has no code of its own: the soak is its test. It runs for
// about 20 s in `go test ./...` and is skipped with -short; run it longer
// with
//
//	go test -race -run TestSoak -timeout 0 ./supervisor/internal/soak -soak 5m
//
// or ARBOR_SOAK=5m. The seed is printed; -soak.seed (or ARBOR_SOAK_SEED)
// sets it, which repeats the tree and each engine's script, though not
// the interleaving of real goroutines.
package soak
