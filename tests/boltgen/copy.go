package main

// boltgen copy --mode copyfile|writeto DB OUT: bbolt's own online copy, for
// benchmarks. copyfile is Tx.CopyFile(OUT, 0600) (no fsync, as in bbolt);
// writeto is Tx.WriteTo into a new file followed by fsync.
// Output: "bytes <n> seconds <s>" (seconds from opening the DB to the end).

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

func runCopy(args []string) int {
	fl := flag.NewFlagSet("copy", flag.ContinueOnError)
	mode := fl.String("mode", "copyfile", "copyfile (Tx.CopyFile) or writeto (Tx.WriteTo + fsync)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() != 2 || (*mode != "copyfile" && *mode != "writeto") {
		fmt.Fprintln(os.Stderr, "boltgen copy: usage: boltgen copy --mode copyfile|writeto DB OUT")
		return 2
	}
	src, out := fl.Arg(0), fl.Arg(1)
	start := time.Now()
	db, err := openReadOnly(src)
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen copy: open %s: %v\n", src, err)
		return 2
	}
	defer closeQuietly(db)
	var n int64
	err = db.View(func(tx *bolt.Tx) error {
		n = tx.Size()
		if *mode == "copyfile" {
			return tx.CopyFile(out, 0o600)
		}
		f, err := os.OpenFile(out, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		_, err = tx.WriteTo(f)
		if err == nil {
			err = f.Sync()
		}
		return errors.Join(err, f.Close())
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "boltgen copy: %v\n", err)
		return 1
	}
	fmt.Printf("bytes %d seconds %.6f\n", n, time.Since(start).Seconds())
	return 0
}
