package config

import "github.com/arborgo/arbor/supervisor/core"

// Core returns the strategy as the supervision core names it, and false for
// a value the file format does not have. The supervisor package's types are
// the core's, so the live tree and the simulator both map through here.
func (s Strategy) Core() (core.Strategy, bool) {
	switch s {
	case OneForOne:
		return core.OneForOne, true
	case OneForAll:
		return core.OneForAll, true
	case RestForOne:
		return core.RestForOne, true
	}
	return 0, false
}

// Core returns the restart type as the supervision core names it.
func (r RestartType) Core() core.Restart {
	switch r {
	case Transient:
		return core.Transient
	case Temporary:
		return core.Temporary
	}
	return core.Permanent
}

// Core returns the auto_shutdown setting as the supervision core names it.
func (a AutoShutdown) Core() core.AutoShutdown {
	switch a {
	case AnySignificant:
		return core.AnySignificant
	case AllSignificant:
		return core.AllSignificant
	}
	return core.Never
}
