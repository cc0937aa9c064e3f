//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
)

// maxRSS is the finished process's peak resident set in bytes: macOS
// reports ru_maxrss in bytes, Linux and the BSDs in KiB.
func maxRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) << 10
}
