//go:build unix

package publish

import (
	"os"
	"syscall"
)

// tryLock takes an exclusive lock on f without waiting, reporting whether it
// got it. The kernel drops the lock when the process dies, however it dies,
// which is how a staging folder of a killed build is told from a live one.
func tryLock(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
