package daemon

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
)

// httpSlot is the HTTP server as a reload may move it: to another
// address, on, or off. The handler is made once, when first needed.
type httpSlot struct {
	handler func() http.Handler
	log     *slog.Logger
	// flag says the --http flag set the address: the file's http: then
	// changes nothing.
	flag bool

	mu  sync.Mutex
	h   http.Handler
	srv *httpServer
}

// serve serves on l, replacing the server under way, which is closed
// once the new one serves.
func (s *httpSlot) serve(l net.Listener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.h == nil {
		s.h = s.handler()
	}
	old := s.srv
	s.srv = serveHTTP(l, s.h, s.log)
	old.close()
}

// move serves on addr ("" serves none). The new address is bound first:
// when it cannot be, move returns why and the old server serves on.
func (s *httpSlot) move(addr string) error {
	if addr == "" {
		s.close()
		return nil
	}
	l, err := listenHTTP(addr)
	if err != nil {
		return fmt.Errorf("http: %w; the HTTP server serves on where it was", err)
	}
	s.serve(l)
	s.log.Info("HTTP server moved", "event", "http_moved", "http", l.Addr().String())
	return nil
}

// close stops the server, if one serves.
func (s *httpSlot) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.srv.close()
	s.srv = nil
}
