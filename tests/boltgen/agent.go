package main

// The agent socket: a stand-in for `ziti agent controller snapshot-db <path>`,
// which asks the running controller to copy its database with
// db.View(tx.CopyFile(path, 0600)).
//
// Protocol (one request per connection, lines end in "\n"):
//
//	client: snapshot <path>
//	server: ok <txid>        or        error <msg>
//
// `boltgen writer --agent-socket PATH` serves it; `boltgen agent --socket PATH
// OUT` is the client (prints "txid <N>" and exits 0, or the error to stderr
// and exits 1).

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

type agentServer struct {
	ln *net.UnixListener
	db *bolt.DB
	wg sync.WaitGroup
}

func startAgent(path string, db *bolt.DB) (*agentServer, error) {
	// A socket left by a previous run would make Listen fail.
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSocket != 0 {
		_ = os.Remove(path)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, err
	}
	s := &agentServer{ln: ln, db: db}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := ln.AcceptUnix()
			if err != nil {
				if !errors.Is(err, net.ErrClosed) {
					fmt.Fprintf(os.Stderr, "boltgen writer: agent accept: %v\n", err)
				}
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(conn)
			}()
		}
	}()
	return s, nil
}

func (s *agentServer) serve(conn *net.UnixConn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Minute))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return
	}
	cmd, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
	var reply string
	if cmd != "snapshot" || arg == "" {
		reply = fmt.Sprintf("error unknown request %q (want: snapshot <path>)\n", strings.TrimSpace(line))
	} else {
		var txid int
		err := s.db.View(func(tx *bolt.Tx) error {
			txid = tx.ID()
			return tx.CopyFile(arg, 0o600)
		})
		if err != nil {
			reply = "error " + oneLine(err.Error()) + "\n"
		} else {
			reply = fmt.Sprintf("ok %d\n", txid)
		}
	}
	_, _ = conn.Write([]byte(reply))
}

// Close stops accepting and waits for snapshots under way.
func (s *agentServer) Close() {
	_ = s.ln.Close()
	s.wg.Wait()
}

func runAgent(args []string) int {
	fl := flag.NewFlagSet("agent", flag.ContinueOnError)
	socket := fl.String("socket", "", "the writer's agent socket")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *socket == "" || fl.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "boltgen agent: usage: boltgen agent --socket PATH OUT")
		return 2
	}
	out, err := filepath.Abs(fl.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen agent: %v\n", err)
		return 1
	}
	if strings.ContainsAny(out, "\r\n") {
		fmt.Fprintln(os.Stderr, "boltgen agent: output path must not contain a newline")
		return 2
	}
	conn, err := net.Dial("unix", *socket)
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen agent: %v\n", err)
		return 1
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("snapshot " + out + "\n")); err != nil {
		fmt.Fprintf(os.Stderr, "boltgen agent: %v\n", err)
		return 1
	}
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen agent: no reply: %v\n", err)
		return 1
	}
	reply = strings.TrimRight(reply, "\n")
	if txid, ok := strings.CutPrefix(reply, "ok "); ok {
		fmt.Printf("txid %s\n", txid)
		return 0
	}
	fmt.Fprintf(os.Stderr, "boltgen agent: %s\n", strings.TrimPrefix(reply, "error "))
	return 1
}
