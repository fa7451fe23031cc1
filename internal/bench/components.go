package main

import (
	"context"
	"strings"
	"time"

	"github.com/consentry/consentry/edge/edgebench"
	"github.com/consentry/consentry/wasm/pagebench"
)

// wasmRows are the page module's budgets (issue "In the page"): the gate's and the engine's sizes
// against the bare Go floor built in the same run, engine-ready time against the bare program,
// and the cost of a cookie or storage write through the engine against the native write.
func wasmRows() ([]Row, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	rows, err := pagebench.Run(ctx, pagebench.Options{PolicyFile: "demo/policies/huma.json"})
	if err != nil {
		return nil, err
	}
	out := make([]Row, len(rows))
	for i, r := range rows {
		out[i] = Row{Section: "page module", Name: r.Name, Value: r.Value, Budget: r.Budget, OK: r.OK}
	}
	return out, nil
}

// edgeRows are the edge's budgets, natively and under workerd (needs edge/node_modules).
func edgeRows() ([]Row, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	rows, err := edgebench.Run(ctx, edgebench.Options{EdgeDir: "edge"})
	if err != nil {
		return nil, err
	}
	out := make([]Row, len(rows))
	for i, r := range rows {
		v := r.Value
		if r.Unit != "" {
			v = strings.TrimSpace(v + " " + r.Unit)
		}
		budget, ok := r.Budget, r.OK
		if budget == "" {
			budget, ok = "(reported)", true
		}
		out[i] = Row{Section: "edge", Name: r.Name, Value: v, Budget: budget, OK: ok}
	}
	return out, nil
}
