package ivvy

type Time struct{}
type Int int64
