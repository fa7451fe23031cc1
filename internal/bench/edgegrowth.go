package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/consentry/consentry/edge"
)

// edgeGrowthRows measures what the edge adds per response as the number of Set-Cookie lines grows
// (1, 10, 100), natively: the same origin reached directly and through edge.Handler, in
// alternation, and the difference of the medians. Half the cookies are of a category the visitor
// did not grant, so the filter keeps some lines and drops others, as on a real site.
func edgeGrowthRows() ([]Row, error) {
	policy, err := os.ReadFile("demo/policies/huma.json")
	if err != nil {
		return nil, err
	}
	var rows []Row
	var added []float64
	counts := []int{1, 10, 100}
	for _, n := range counts {
		origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < n; i++ {
				name := "sid" + strconv.Itoa(i)
				if i%2 == 1 {
					name = "_ga_" + strconv.Itoa(i) // analytics: not granted before a decision
				}
				w.Header().Add("Set-Cookie", name+"=v"+strconv.Itoa(i)+"; Path=/; Expires=Wed, 21 Oct 2099 07:28:00 GMT; Secure")
			}
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":true}`)
		}))
		h, err := edge.NewHandler(edge.Config{Origin: origin.URL, Policy: policy})
		if err != nil {
			origin.Close()
			return nil, err
		}
		proxied := httptest.NewServer(h)
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		get := func(url string) (time.Duration, error) {
			start := time.Now()
			resp, err := client.Get(url)
			if err != nil {
				return 0, err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return time.Since(start), nil
		}
		const rounds = 400
		var direct, through []float64
		for i := 0; i < rounds; i++ {
			d, err := get(origin.URL + "/api")
			if err != nil {
				return nil, err
			}
			p, err := get(proxied.URL + "/api")
			if err != nil {
				return nil, err
			}
			if i >= 20 { // warm-up
				direct = append(direct, float64(d.Microseconds()))
				through = append(through, float64(p.Microseconds()))
			}
		}
		proxied.Close()
		origin.Close()
		a := medianF(through) - medianF(direct)
		added = append(added, a)
		rows = append(rows, Row{Section: "edge growth", Name: strconv.Itoa(n) + " Set-Cookie lines per response: added latency (median, native)",
			Value: strconv.FormatFloat(a, 'f', 0, 64) + " µs (direct " + strconv.FormatFloat(medianF(direct), 'f', 0, 64) +
				" µs, through the edge " + strconv.FormatFloat(medianF(through), 'f', 0, 64) + " µs)",
			Budget: "(growth)", OK: true})
	}
	// Linear growth: 100 lines may cost at most 100 times one line.
	growth := added[2] / max(added[0], 1)
	rows = append(rows, Row{Section: "edge growth", Name: "added latency, 1 → 100 Set-Cookie lines",
		Value:  strconv.FormatFloat(growth, 'f', 2, 64) + "× for 100× the lines",
		Budget: "no faster than linear", OK: growth <= 100})
	return rows, nil
}

func medianF(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
