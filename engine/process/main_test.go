package process

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// The process spawner keeps its OS thread alive for the program's
		// life on purpose: see spawn_linux.go.
		goleak.IgnoreAnyFunction("github.com/arborgo/arbor/engine/process.spawnLoop"),
	)
}
