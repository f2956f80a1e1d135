module kfdata.dev/exprtwin

go 1.21

// Argo 3.5.14 and 3.6.0 bundle this release (go.mod at those tags).
require github.com/expr-lang/expr v1.16.9
