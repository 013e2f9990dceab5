package metrics

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/arborgo/arbor/supervisor"
)

var errNotAnswering = errors.New("metrics: the supervisor did not answer within the timeout")

func collectSupervisor(ch chan<- prometheus.Metric, snap *supervisor.Snapshot, gor map[string]int) {
	ch <- prometheus.MustNewConstMetric(descIntensity, prometheus.GaugeValue, snap.IntensityUsed, snap.Path)
	ch <- prometheus.MustNewConstMetric(descGaveUp, prometheus.CounterValue, float64(snap.GaveUp), snap.Path)
	for i := range snap.Children {
		c := &snap.Children[i]
		collectChild(ch, c, gor)
		if c.Sub != nil {
			collectSupervisor(ch, c.Sub, gor)
		}
	}
}

func collectChild(ch chan<- prometheus.Metric, c *supervisor.ChildStatus, gor map[string]int) {
	p := c.Path
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, flag(c.State == supervisor.StateRunning), p)
	done := c.Done
	for _, s := range states {
		ch <- prometheus.MustNewConstMetric(descState, prometheus.GaugeValue, flag(c.State == s && !done), p, s.String())
	}
	ch <- prometheus.MustNewConstMetric(descState, prometheus.GaugeValue, flag(done), p, "done")
	ch <- prometheus.MustNewConstMetric(descRestarts, prometheus.CounterValue, float64(c.Restarts), p)
	var byName [5]int
	for k, n := range c.Exits {
		for i, name := range exits {
			if k.String() == name {
				byName[i] += n
			}
		}
	}
	for i, name := range exits {
		ch <- prometheus.MustNewConstMetric(descExits, prometheus.CounterValue, float64(byName[i]), p, name)
	}
	ch <- prometheus.MustNewConstMetric(descBackoff, prometheus.GaugeValue, c.BackoffLeft.Seconds(), p)
	ch <- prometheus.MustNewConstMetric(descStopTO, prometheus.CounterValue, float64(c.StopTimeouts), p)
	if gor != nil {
		ch <- prometheus.MustNewConstMetric(descGor, prometheus.GaugeValue, float64(gor[p]), p)
	}
}

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
