//go:build unix

package publish

import (
	"io/fs"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// Go's os package tries to add every file it opens to the network poller,
// which on Linux refuses regular files: four fcntl calls and a failing
// epoll_ctl around each open, more system calls than the write itself. A
// build writes (or reads back) one file for each of a site's outputs,
// 13,500 at 10,000 pages, so these helpers use the system calls alone.

// writeFile writes data to name, creating or truncating it, as os.WriteFile.
func writeFile(name string, data []byte, perm os.FileMode) (mtime int64, err error) {
	fd, err := openFd(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC, uint32(perm.Perm()))
	if err != nil {
		return 0, err
	}
	for len(data) > 0 {
		n, err := syscall.Write(fd, data)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			syscall.Close(fd)
			return 0, &fs.PathError{Op: "write", Path: name, Err: err}
		}
		data = data[n:]
	}
	// The time the manifest records, read from the open file: a second
	// call by name would cost more than the write of a small page.
	var st unix.Stat_t // x/sys names the time Mtim on every system
	if err := unix.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return 0, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if err := syscall.Close(fd); err != nil && err != syscall.EINTR {
		return 0, &fs.PathError{Op: "close", Path: name, Err: err}
	}
	return st.Mtim.Nano(), nil
}

// openRead opens name for reading as a blocking file kept out of the poller.
func openRead(name string) (*os.File, error) {
	fd, err := openFd(name, syscall.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), name), nil
}

func openFd(name string, mode int, perm uint32) (int, error) {
	for {
		fd, err := syscall.Open(name, mode|syscall.O_CLOEXEC, perm)
		if err == nil {
			return fd, nil
		}
		if err != syscall.EINTR {
			return -1, &fs.PathError{Op: "open", Path: name, Err: err}
		}
	}
}
