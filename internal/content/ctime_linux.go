package content

import (
	"os"
	"syscall"
)

// ChangeTime is when a file's inode last changed, in nanoseconds since
// 1970 (0 when unknown): unlike its modification time, no program can set
// it back, so an edit that restores the size and modification time (a
// touch -d, a tool keeping times) still shows in it.
func ChangeTime(fi os.FileInfo) int64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ctim.Sec*1e9 + st.Ctim.Nsec
	}
	return 0
}
