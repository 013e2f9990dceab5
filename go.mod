module github.com/arborgo/arbor

go 1.26
