package control

import (
	"fmt"
	"io"
	"strconv"
)

// ExitNotReady is the exit code of `supervise status --check` for a tree
// that runs but is not ready.
const ExitNotReady = 3

// printCheck prints what keeps each tree from being ready and returns
// the exit code of --check: 0 when every tree is ready, ExitNotReady
// otherwise, 1 when a supervise did not say.
func printCheck(stdout, stderr io.Writer, sts []*Status) int {
	code := 0
	for _, st := range sts {
		switch {
		case st.Ready == nil:
			fmt.Fprintf(stderr, "supervise status: %s does not report readiness\n", escape(st.Name))
			return 1
		case st.Ready.Ready:
			continue
		}
		code = ExitNotReady
		fmt.Fprintf(stdout, "%s: not ready\n", escape(st.Name))
		for _, c := range st.Ready.NotReady {
			line := "  " + escape(c.Path) + " " + escape(c.State)
			if c.BackoffLeft > 0 {
				line += " (restart in " + strconv.FormatFloat(c.BackoffLeft, 'f', 1, 64) + "s)"
			}
			fmt.Fprintln(stdout, line)
		}
	}
	return code
}
