package control

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"strconv"
	"time"
)

// commandTimeout bounds a command that changes the tree: a restart waits
// for the child to stop and to become ready again, longer than a status.
const commandTimeout = 5 * time.Minute

// command answers a request that changes the tree, from a trusted peer
// only: supervise's own uid or root, on top of the socket's mode.
func (s *Server) command(ctx context.Context, c net.Conn, req Request) {
	var rep Reply
	uid, err := peerUID(c)
	switch {
	case err != nil:
		rep.Error = "refused: cannot tell who asks: " + err.Error()
	case uid != 0 && uid != os.Getuid():
		rep.Error = "refused: uid " + strconv.Itoa(uid) + " may not change the tree; only uid " + strconv.Itoa(os.Getuid()) + " or root may"
		s.log().Warn("control command refused", "event", "control_refused", "cmd", req.Cmd, "uid", uid)
	default:
		_ = c.SetDeadline(time.Now().Add(commandTimeout))
		cctx, cancel := context.WithTimeout(ctx, commandTimeout)
		rep = s.Control(cctx, req, uid)
		cancel()
	}
	_ = json.NewEncoder(c).Encode(rep)
}

// Command sends req to the supervise listening on socket and returns its
// reply; an error means no reply came.
func Command(ctx context.Context, socket string, req Request) (*Reply, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(commandTimeout + connTimeout))
	if err := json.NewEncoder(c).Encode(req); err != nil {
		return nil, err
	}
	var rep Reply
	if err := json.NewDecoder(io.LimitReader(c, maxAnswer)).Decode(&rep); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no answer: the supervise there may be older and know no such command")
		}
		return nil, err
	}
	return &rep, nil
}
