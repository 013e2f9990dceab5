//go:build !linux

package process

import "os"

func (p *Process) startOutput(emit [2]func([]byte), pipes [2]*os.File) outputPump {
	return p.startPipePumps(emit, pipes)
}
