// exprtwin runs a list template's transformations as Argo's data template does
// (workflow/data/data.go: expr.Compile with the env {"data": data}, then expr.Run, step by step).
// stdin: {"expressions": [...], "data": [...]}; stdout: the result as JSON.
package main

import (
	"encoding/json"
	"os"

	"github.com/expr-lang/expr"
)

func main() {
	var in struct {
		Expressions []string      `json:"expressions"`
		Data        []interface{} `json:"data"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	var data interface{} = in.Data
	for _, expression := range in.Expressions {
		env := map[string]interface{}{"data": data}
		program, err := expr.Compile(expression, expr.Env(env))
		if err != nil {
			panic(err)
		}
		if data, err = expr.Run(program, env); err != nil {
			panic(err)
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(data); err != nil {
		panic(err)
	}
}
