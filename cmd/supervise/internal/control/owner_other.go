//go:build !unix

package control

import "io/fs"

// owner: files have no owning uid here.
func owner(fs.FileInfo) (uid int, known bool) { return 0, false }
