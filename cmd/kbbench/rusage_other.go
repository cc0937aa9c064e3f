//go:build !unix

package main

import "os"

// maxRSS is unknown where there is no getrusage: peaks print as 0.
func maxRSS(*os.ProcessState) int64 { return 0 }
