package main

// boltgen check PATH: bbolt's own Tx.Check plus the content digest.
//
// Output (stdout):
//
//	txid <N>
//	digest <64 hex chars>        ("digest none" if the walk panicked)
//	error: <msg>                 one per Check error (and walk panic)
//
// Exit 0 clean, 1 errors, 2 the file could not be opened ("open-error: <msg>").
//
// The digest walk runs in this process with debug.SetPanicOnFault, so a bad
// page pointer becomes a recovered panic. Tx.Check runs its walk on a
// goroutine of its own, where a memory fault cannot be recovered, so it runs
// in a child process (`boltgen _check-worker PATH`) that streams its errors;
// if the child dies, that is reported as one more error.

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

const checkWorkerCommand = "_check-worker"

func runCheck(args []string) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(os.Stderr, "boltgen check: usage: boltgen check PATH")
		return 2
	}
	return checkFile(args[0], os.Stdout)
}

// checkFile writes the `check` report for path to out and returns the exit
// code.
func checkFile(path string, out io.Writer) int {
	debug.SetPanicOnFault(true)
	db, err := openReadOnly(path)
	if err != nil {
		fmt.Fprintf(out, "open-error: %s\n", oneLine(err.Error()))
		return 2
	}
	txid, digest, walkErr := digestOf(db)
	closeQuietly(db)
	if txid < 0 {
		// Not even a read transaction could be begun.
		fmt.Fprintf(out, "open-error: %s\n", oneLine(walkErr.Error()))
		return 2
	}

	fmt.Fprintf(out, "txid %d\n", txid)
	errs := 0
	if walkErr != nil {
		fmt.Fprintln(out, "digest none")
		fmt.Fprintf(out, "error: %s\n", oneLine(walkErr.Error()))
		errs++
	} else {
		fmt.Fprintf(out, "digest %s\n", digest.Hex())
	}
	errs += checkInChild(path, out)
	if errs > 0 {
		return 1
	}
	return 0
}

// digestOf reads the txid and full digest in one read transaction. txid is
// -1 if no transaction could be begun.
func digestOf(db *bolt.DB) (txid int, d Digest, err error) {
	txid = -1
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	err = db.View(func(tx *bolt.Tx) error {
		txid = tx.ID()
		d = FullDigest(tx)
		return nil
	})
	return txid, d, err
}

func closeQuietly(db *bolt.DB) {
	defer func() { _ = recover() }()
	_ = db.Close()
}

// checkInChild runs the worker, relays its "error: " lines and returns how
// many errors were printed.
func checkInChild(path string, w io.Writer) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(w, "error: panic: cannot run the check worker: %s\n", oneLine(err.Error()))
		return 1
	}
	cmd := exec.Command(exe, checkWorkerCommand, path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintf(w, "error: panic: cannot run the check worker: %s\n", oneLine(err.Error()))
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(w, "error: panic: cannot run the check worker: %s\n", oneLine(err.Error()))
		return 1
	}
	errs, done := 0, false
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "error: "):
			fmt.Fprintln(w, line)
			errs++
		case strings.HasPrefix(line, "open-error: "):
			fmt.Fprintf(w, "error: check could not open the file: %s\n", strings.TrimPrefix(line, "open-error: "))
			errs++
		case line == "done":
			done = true
		}
	}
	waitErr := cmd.Wait()
	if !done || waitErr != nil {
		reason := "exited early"
		if waitErr != nil {
			reason = waitErr.Error()
		}
		fmt.Fprintf(w, "error: panic: Tx.Check crashed (%s): %s\n", reason, crashSummary(stderr.String()))
		errs++
	}
	return errs
}

// crashSummary picks the informative first lines of a Go crash report.
func crashSummary(stderr string) string {
	var keep []string
	for _, l := range strings.Split(stderr, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "goroutine ") {
			if len(keep) > 0 {
				break
			}
			continue
		}
		keep = append(keep, l)
		if len(keep) == 3 {
			break
		}
	}
	if len(keep) == 0 {
		return "no output"
	}
	return strings.Join(keep, "; ")
}

// runCheckWorker prints "error: <msg>" per Tx.Check error, then "done".
func runCheckWorker(args []string) int {
	if len(args) != 1 {
		return 2
	}
	debug.SetPanicOnFault(true)
	// A cycle of page pointers makes bbolt's checker recurse forever; fail
	// fast instead of growing a 1 GB stack.
	debug.SetMaxStack(256 << 20)
	db, err := openReadOnly(args[0])
	if err != nil {
		fmt.Printf("open-error: %s\n", oneLine(err.Error()))
		return 2
	}
	w := bufio.NewWriter(os.Stdout)
	_, err = checkErrors(db, func(e error) {
		fmt.Fprintf(w, "error: %s\n", oneLine(e.Error()))
		_ = w.Flush() // stream, so errors found before a crash are kept
	})
	if err != nil {
		fmt.Fprintf(w, "error: %s\n", oneLine(err.Error()))
	}
	fmt.Fprintln(w, "done")
	_ = w.Flush()
	closeQuietly(db)
	return 0
}

// checkErrors runs Tx.Check in a read transaction, calling fn per error.
func checkErrors(db *bolt.DB, fn func(error)) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	err = db.View(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			n++
			fn(e)
		}
		return nil
	})
	return n, err
}

// boltgen checkonly DB: Tx.Check alone, for benchmarks.
// Output: "errors <n> seconds <s>"; exit 0 clean, 1 errors, 2 cannot open.
func runCheckOnly(args []string) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(os.Stderr, "boltgen checkonly: usage: boltgen checkonly DB")
		return 2
	}
	db, err := openReadOnly(args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen checkonly: open %s: %v\n", args[0], err)
		return 2
	}
	defer closeQuietly(db)
	start := time.Now()
	n, err := checkErrors(db, func(e error) { fmt.Fprintf(os.Stderr, "error: %s\n", oneLine(e.Error())) })
	secs := time.Since(start).Seconds()
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %s\n", oneLine(err.Error()))
		n++
	}
	fmt.Printf("errors %d seconds %.6f\n", n, secs)
	if n > 0 {
		return 1
	}
	return 0
}
