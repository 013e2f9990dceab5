// Package sim simulates a supervision tree in virtual time, under a fault
// model, with the same decision core that the live supervisor drives.
//
// The tree is a [supervisor.Supervisor] built as for a live run and never
// started: [Run] reads its policy and its children as the live supervisor
// resolves them when it starts (every default, a nested supervisor's
// shutdown budget, each engine's readiness through engine.Readier),
// so a simulation cannot drift from the program it models. Each child
// that is a *supervisor.Supervisor is a nested supervisor; every other
// child is a leaf, whose engine is never run: its fortunes are the
// [Faults] that the caller gives for its path.
//
// It is a discrete-event simulator: a priority queue of (virtual time,
// sequence, event), one core per supervisor of the tree, and leaves
// modelled by their Faults: how long they take to start, to become ready
// and to stop, and when they fail. Nothing sleeps and no goroutine starts,
// so hours of a large tree take milliseconds.
//
// A nested supervisor is a child whose engine is a sub-core: starting it
// starts a new core for the group (as a live supervisor starts afresh on
// every Run), stopping it stops that core and it has stopped when the
// sub-core is done, and it exits with an error when its sub-core gives up
// (restart intensity exceeded, or a failed start): that is how a failure
// escalates up the tree.
//
// The same tree, seeds and scripted failures give the same event sequence
// here as in the live supervisor: the package's agreement test runs both
// under testing/synctest and compares them.
//
// Leaf runs are modelled as follows. A run launched at t:
//
//   - fails to start when t falls in an outage, or with probability
//     CrashOnStart: it exits with an error at t+Start;
//   - otherwise it is running at t+Start and passes its ready check at
//     t+Start+Ready (the core hears of it only for children whose engine
//     reports readiness; the others are ready as soon as launched);
//   - it fails at the first scripted time of FailAt at or after t not used
//     by an earlier run, or, with MTBF set, after an exponentially
//     distributed up time with that mean counted from ready, whichever
//     comes first;
//   - with Hang.MTBF set, it hangs once, an exponentially distributed
//     time with that mean after ready, for Hang.Duration (zero: until it
//     ends): it heartbeats no more (it beats every Hang.Beat from its
//     launch otherwise, or continuously) and its probes fail, so the
//     child's Liveness finds it, at the times a live supervisor would;
//   - asked to stop, it stops after Stop, or is abandoned after the
//     child's shutdown timeout if Stop is longer or NeverStops is set. An
//     abandoned run with a longer Stop returns then; one that never stops
//     returns at its planned failure, or never. Until it has returned the
//     child is not started again, as live, also by a later run of its
//     supervisor (a nested group its parent restarted); a start that
//     waits for it longer than the child's start timeout (else its
//     shutdown timeout) fails, as live.
//
// Random draws come from one generator per leaf, seeded by the options'
// Seed and the leaf's path, in the same order for every run, so two
// policies compared under one seed see the same fortunes of each child.
// A supervisor whose Config.Seed is zero gets a jitter seed derived from
// the options' Seed and its path.
package sim
